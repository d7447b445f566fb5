export * from './prefecture.module';
export * from './shared-templates.service';
export * from './comparison.service';
export * from './domain/comparison';
export * from './dto/prefecture.response';
