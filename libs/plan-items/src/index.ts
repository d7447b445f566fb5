export * from './plan-items.module';
export * from './plans.service';
export * from './items.service';
export * from './item-access';
export * from './dto/plan.dto';
export * from './dto/item.dto';
export * from './import/item-import.rows';
export * from './item-attributes';
export type { KpiInput } from './item-kpis';
