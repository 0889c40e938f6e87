import { describe, expect, it } from 'vitest';
import { IssueSink } from './issue-sink.js';

describe('IssueSink: one finding is one issue', () => {
  it('keeps the same message at the same location once, at the most severe level reported', () => {
    const sink = new IssueSink(1000);
    sink.add('rule-a', 'warning', 'structure', 'Patient.name[0]', 'm');
    sink.add('rule-b', 'error', 'value', 'Patient.name[0]', 'm');
    sink.add('rule-c', 'information', 'value', 'Patient.name[0]', 'm');
    expect(sink.issues).toEqual([{ rule: 'rule-b', severity: 'error', code: 'value', expression: 'Patient.name[0]', message: 'm' }]);
  });

  it('keeps findings apart that differ in location or message, in the order reported', () => {
    const sink = new IssueSink(1000);
    sink.add('r', 'error', 'value', 'Patient.name[0]', 'm');
    sink.add('r', 'error', 'value', 'Patient.name[1]', 'm');
    sink.add('r', 'error', 'value', 'Patient.name[0]', 'n');
    expect(sink.issues.map((i) => `${i.expression} ${i.message}`)).toEqual(['Patient.name[0] m', 'Patient.name[1] m', 'Patient.name[0] n']);
  });

  it('identifies count findings by what sameAs names, not by their message', () => {
    const sink = new IssueSink(1000);
    sink.add('r1', 'error', 'structure', 'Patient', 'from the base', 'identifier:1:0..1');
    sink.add('r1', 'error', 'structure', 'Patient', 'from the profile', 'identifier:1:0..1');
    sink.add('r1', 'error', 'structure', 'Patient', 'another slice', 'identifier:2:0..1');
    expect(sink.issues.map((i) => i.message)).toEqual(['from the base', 'another slice']);
  });

  it('tells a location that holds a `|` from a message that does, as one key string would', () => {
    const sink = new IssueSink(1000);
    sink.add('r', 'error', 'value', 'a|b', 'c');
    sink.add('r', 'error', 'value', 'a', 'b|c');
    expect(sink.issues).toHaveLength(1);
  });

  it('finds the first report of a finding among many issues as among few', () => {
    const sink = new IssueSink(1000);
    for (let i = 0; i < 100; i++) sink.add('r', 'warning', 'value', `Bundle.entry[${i}]`, 'm');
    sink.add('r', 'error', 'value', 'Bundle.entry[3]', 'm');
    sink.add('r', 'error', 'value', 'Bundle.entry[70]', 'm');
    sink.add('r', 'error', 'value', 'Bundle.entry[100]', 'm');
    sink.add('r', 'error', 'value', 'Bundle.entry[100]', 'm');
    expect(sink.issues).toHaveLength(101);
    expect(sink.issues[3]!.severity).toBe('error');
    expect(sink.issues[70]!.severity).toBe('error');
    expect(sink.issues.filter((i) => i.severity === 'error')).toHaveLength(3);
  });
});
