export * from './cycles.module';
export * from './cycles-api.module';
export * from './cycles.service';
export * from './templates.service';
export * from './rating-scales.service';
export * from './entities/cycle.entity';
export * from './entities/cycle-template.entity';
export * from './cycle-rules';
