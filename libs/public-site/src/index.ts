export * from './public-site.module';
export * from './public-site.service';
