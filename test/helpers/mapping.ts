/** The smallest CSV mapping that loads (columns Id and At); tests add or change one thing at a time. */
export function minimalCsvMapping(items: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    input: { format: 'csv' },
    grouping: { call: { column: 'Id' } },
    items: {
      'header.submitter.odsCode': { const: 'RX9' }, 'header.submitter.name': { const: 'Test Ambulance Service' },
      'call.cadId': { column: 'Id' }, 'call.connectedAt': { column: 'At' }, 'call.origin': { const: '01' },
      'call.initialCategory': { const: 'C3' }, 'call.reportingCategory': { const: 'C3' }, 'call.treatmentType': { const: 'hear-and-treat' },
      ...items,
    },
  };
}
