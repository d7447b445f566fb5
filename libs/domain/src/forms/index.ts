// The form engine without the rest of the domain, for the web bundle.
export * from './form-field';
export * from './form-rule';
export * from './kpi';
export * from './field-value';
export * from './form-definition';
export * from './form-validation';
export * from './scope-access';
