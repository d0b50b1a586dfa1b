import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  isInt,
  Matches,
  matches,
  Max,
  MaxLength,
  maxLength,
  Min,
} from 'class-validator';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const CURSOR_CHARACTERS = /^[A-Za-z0-9_-]+$/;

/** `?limit=&cursor=` on list endpoints. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(CURSOR_CHARACTERS, { message: 'cursor must be a cursor this api returned' })
  cursor?: string;

  /**
   * For a DTO's {@link QuickQueryDto.quick}: sets `limit` or `cursor` from a query field when
   * the value passes this class's constraints; false for any other field or value.
   */
  protected quickField(name: string, value: unknown): boolean {
    if (typeof value !== 'string') return false;
    if (name === 'limit') {
      // What @Type(() => Number) makes of it, held to the decorators' rules; '050' or '1e1'
      // (valid too) are left to the full validation.
      if (!/^[1-9][0-9]{0,2}$/.test(value)) return false;
      const limit = Number(value);
      if (!isInt(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return false;
      this.limit = limit;
      return true;
    }
    if (name === 'cursor') {
      if (!maxLength(value, 100) || !matches(value, CURSOR_CHARACTERS)) return false;
      this.cursor = value;
      return true;
    }
    return false;
  }
}
