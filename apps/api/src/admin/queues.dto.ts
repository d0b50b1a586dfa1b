import { ApiProperty } from '@nestjs/swagger';
import { QUEUE_NAMES } from '@depot/queue';

export class QueueCountsDto {
  @ApiProperty({ enum: QUEUE_NAMES, example: 'files' })
  name!: string;

  @ApiProperty({ example: 0 })
  waiting!: number;

  @ApiProperty({ example: 0 })
  active!: number;

  @ApiProperty({ example: 0 })
  delayed!: number;

  @ApiProperty({ example: 12 })
  completed!: number;

  @ApiProperty({ example: 0 })
  failed!: number;
}

export class QueueCountsListDto {
  @ApiProperty({ type: [QueueCountsDto] })
  items!: QueueCountsDto[];
}

export class RetryFailedDto {
  @ApiProperty({ enum: QUEUE_NAMES, example: 'files' })
  queue!: string;

  @ApiProperty({ description: 'Failed jobs moved back to waiting.', example: 3 })
  retried!: number;
}
