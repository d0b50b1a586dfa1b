export * from './upload-link.entity';
export * from './upload-links.service';
