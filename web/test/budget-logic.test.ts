import { describe, expect, it } from 'vitest';
import { tally } from '../src/pages/budgets';

describe('the ballot page', () => {
  const projects = [
    { id: 'a', cost: 60_000 },
    { id: 'b', cost: 45_000 },
    { id: 'c', cost: 20_000 },
  ];

  it('shows what the selection costs and what the budget leaves, as the resident ticks', () => {
    expect(tally(projects, [], 100_000)).toEqual({ total: 0, remaining: 100_000 });
    expect(tally(projects, ['a', 'c'], 100_000)).toEqual({ total: 80_000, remaining: 20_000 });
    expect(tally(projects, ['a', 'b'], 100_000)).toEqual({ total: 105_000, remaining: -5_000 });
  });

  it('ignores an id that is not on the ballot', () => {
    expect(tally(projects, ['gone'], 100_000)).toEqual({ total: 0, remaining: 100_000 });
  });
});
