export * from './approvals.module';
export * from './approvals-api.module';
export * from './approval-routing.service';
export * from './approvals.service';
export * from './delegations.service';
export * from './domain/approval-route';
export * from './approval-views.service';
export * from './external-review.service';
