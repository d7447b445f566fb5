export * from './entities/department.entity';
export * from './entities/section.entity';
export * from './entities/section-name.entity';
export * from './entities/user.entity';
