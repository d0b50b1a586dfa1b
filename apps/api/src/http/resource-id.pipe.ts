import { type PipeTransform } from '@nestjs/common';
import { notFound } from './problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A resource id from the path. Ids are UUIDs; anything else names no resource, so it is a
 * 404 like an unknown id, and never reaches the database as a malformed uuid.
 *
 *   @Param('id', new ResourceIdPipe('file')) id: string
 */
export class ResourceIdPipe implements PipeTransform<string, string> {
  constructor(private readonly resource: string) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw notFound(this.resource);
    return value.toLowerCase();
  }
}
