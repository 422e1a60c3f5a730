import { randomId } from '../shared/random-id';
import type { ProviderName } from '../shared/provider-name';

/** `delay` holds the call before its route runs; `delay-answer` runs the route at once and holds its answer. */
export type FaultAction = 'fail' | 'delay' | 'delay-answer';

export interface FaultRuleInput {
  provider: ProviderName;
  /** HTTP method, or `*` for any. */
  method: string;
  /** A route pattern (`/v1/subscriptions/:id`), an exact path, or `*` for any path of the provider. */
  path: string;
  action: FaultAction;
  /** Status of a `fail`; 500 when absent. */
  status?: number;
  /** Wait of a `delay` or a `delay-answer`. */
  delayMs?: number;
  /** How many matching calls it applies to; 1 when absent. */
  times?: number;
}

export interface FaultRule {
  id: string;
  provider: ProviderName;
  method: string;
  path: string;
  action: FaultAction;
  status: number;
  delayMs: number;
  remaining: number;
}

/** The request a fault may apply to. `route` is the matched route pattern, if any. */
export interface FaultTarget {
  provider: ProviderName;
  method: string;
  route: string | null;
  path: string;
}

/** Faults armed through the control API; each applies to the next `times` matching calls. */
export class FaultRuleStore {
  private rules: FaultRule[] = [];

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = {
      id: randomId('fault_', 10),
      provider: input.provider,
      method: input.method.toUpperCase(),
      path: input.path,
      action: input.action,
      status: input.status ?? 500,
      delayMs: input.delayMs ?? 0,
      remaining: input.times ?? 1,
    };
    this.rules.push(rule);
    return { ...rule };
  }

  /** The first armed rule matching `target`, used up by one call; null when none matches. */
  take(target: FaultTarget): FaultRule | null {
    const index = this.rules.findIndex((rule) => matches(rule, target));
    if (index < 0) return null;
    const rule = this.rules[index];
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return { ...rule };
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules = [];
  }
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
  if (rule.provider !== target.provider) return false;
  if (rule.method !== '*' && rule.method !== target.method.toUpperCase()) return false;
  return rule.path === '*' || rule.path === target.route || rule.path === target.path;
}
