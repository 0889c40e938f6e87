import { describe, expect, it } from 'vitest';
import { compileWorkflowFilter, meshStatusTimestamp, MeshStore } from './mesh-store.js';

describe('MESH stand-in store', () => {
  it('compiles the documented workflow filter forms', () => {
    const cases: Array<[string, string, boolean]> = [
      ['=WORKFLOW1', 'WORKFLOW1', true],
      ['=!WORKFLOW1', 'WORKFLOW1', false],
      ['=WORKFL*', 'WORKFLOW2', true],
      ['=!WORKFL*', 'WORKFLOW2', false],
      ['=*_ACK*', 'DATA_ACK_1', true],
      ['!*_ACK*', 'DATA_ACK_1', false],
      ['A.B', 'AxB', false],
    ];
    for (const [filter, wf, expected] of cases) expect(compileWorkflowFilter(filter)(wf)).toBe(expected);
  });

  it('holds chunked messages back until every chunk arrives, then expires them with a REPORT', () => {
    let now = Date.UTC(2026, 0, 1);
    const store = new MeshStore(() => now, 1000);
    const m = store.create({ from: 'A', to: 'B', workflowId: 'WF', totalChunks: 2 }, { data: Buffer.from('1'), gzip: false });
    expect(store.inbox('B')).toHaveLength(0);
    store.addChunk(m, 2, { data: Buffer.from('2'), gzip: false });
    expect(store.inbox('B').map((x) => x.id)).toEqual([m.id]);
    now += 1000;
    store.sweepExpired();
    expect(m.status).toBe('expired');
    const [report] = store.inbox('A');
    expect(report).toMatchObject({ messageType: 'REPORT', statusCode: '14', linkedMessageId: m.id, intendedRecipient: 'B' });
  });

  it('formats status timestamps as yyyyMMddHHmmss', () => {
    expect(meshStatusTimestamp(Date.UTC(2020, 5, 1, 12, 21, 52))).toBe('20200601122152');
  });
});
