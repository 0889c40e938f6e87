/** The R4 resource types that are canonical resources (the reference validator's list for R4). */
export const CANONICAL_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'ActivityDefinition', 'CapabilityStatement', 'ChargeItemDefinition', 'CodeSystem', 'CompartmentDefinition', 'ConceptMap',
  'EffectEvidenceSynthesis', 'EventDefinition', 'Evidence', 'EvidenceVariable', 'ExampleScenario', 'GraphDefinition',
  'ImplementationGuide', 'Library', 'Measure', 'MessageDefinition', 'NamingSystem', 'OperationDefinition', 'PlanDefinition',
  'Questionnaire', 'ResearchDefinition', 'ResearchElementDefinition', 'RiskEvidenceSynthesis', 'SearchParameter',
  'StructureDefinition', 'StructureMap', 'TerminologyCapabilities', 'TestScript', 'ValueSet',
]);
