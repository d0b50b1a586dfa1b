import { type PipeTransform } from '@nestjs/common';
import { isUuid } from '@depot/database';
import { notFound } from './problem';

/**
 * A resource id from the path. Ids are UUIDs; anything else names no resource, so it is a
 * 404 like an unknown id, and never reaches the database as a malformed uuid.
 *
 *   @Param('id', new ResourceIdPipe('file')) id: string
 */
export class ResourceIdPipe implements PipeTransform<string, string> {
  constructor(private readonly resource: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw notFound(this.resource);
    return value.toLowerCase();
  }
}
