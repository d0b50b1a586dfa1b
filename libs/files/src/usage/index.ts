export * from './usage-counters';
export * from './quota-meter';
export * from './tenant-usage.service';
