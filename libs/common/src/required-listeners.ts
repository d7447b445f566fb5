import { Injectable, OnApplicationBootstrap, Provider } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvent } from './domain-events';

type DomainEventName = (typeof DomainEvent)[keyof typeof DomainEvent];

/**
 * The domain events an app cannot run without a listener for: a submit that no approval
 * module hears would skip routing, a cycle opened that no reminder planner hears would send no
 * mail, both silently. Checked once at start-up; a missing module fails the boot instead.
 * Provide it in the app's root module, whose bootstrap hooks run after EventEmitterModule has
 * bound every @OnEvent listener.
 */
export function requireListeners(...events: DomainEventName[]): Provider {
  @Injectable()
  class RequiredListenersCheck implements OnApplicationBootstrap {
    constructor(private readonly emitter: EventEmitter2) {}

    onApplicationBootstrap(): void {
      const missing = events.filter((e) => this.emitter.listenerCount(e) === 0);
      if (missing.length) throw new Error(`no listener for required domain events: ${missing.join(', ')} (is the module that handles them imported?)`);
    }
  }
  return { provide: `RequiredListeners:${events.join(',')}`, useClass: RequiredListenersCheck };
}
