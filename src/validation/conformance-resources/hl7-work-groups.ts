/**
 * HL7 work groups, by the code the structuredefinition-wg extension carries: the name HL7 publishes
 * under ("HL7 International / <name>", or the older name2) and the group's web page, after the
 * reference validator's table (HL7WorkGroups).
 */
export interface Hl7WorkGroup {
  name: string;
  name2?: string;
  link: string;
}

export const HL7_WORK_GROUPS: Readonly<Record<string, Hl7WorkGroup>> = {
  aid: { name: 'Application Implementation and Design', link: 'http://www.hl7.org/Special/committees/java' },
  arden: { name: 'Arden Syntax', link: 'http://www.hl7.org/Special/committees/arden' },
  brr: { name: 'Biomedical Research and Regulation', link: 'http://www.hl7.org/Special/committees/rcrim' },
  cbcc: { name: 'Community Based Collaborative Care', link: 'http://www.hl7.org/Special/committees/cbcc' },
  cdamg: { name: 'CDA Management Group', link: 'http://www.hl7.org/Special/committees/cdamg' },
  cds: { name: 'Clinical Decision Support', link: 'http://www.hl7.org/Special/committees/dss' },
  cg: { name: 'Clinical Genomics', link: 'http://www.hl7.org/Special/committees/clingenomics' },
  cgp: { name: 'Cross-Group Projects', link: 'http://www.hl7.org/Special/committees/cgp' },
  cic: { name: 'Clinical Interoperability Council', link: 'http://www.hl7.org/Special/committees/cic' },
  cimi: { name: 'Clinical Information Modeling Initiative', link: 'http://www.hl7.org/Special/committees/cimi' },
  claims: { name: 'Payer/Provider Information Exchange Work Group', link: 'http://www.hl7.org/Special/committees/claims' },
  cqi: { name: 'Clinical Quality Information', link: 'http://www.hl7.org/Special/committees/cqi' },
  dev: { name: 'Devices', link: 'http://www.hl7.org/Special/committees/healthcaredevices' },
  ehr: { name: 'Electronic Health Records', link: 'http://www.hl7.org/Special/committees/ehr' },
  ec: { name: 'Emergency Care', link: 'http://www.hl7.org/Special/committees/emergencycare' },
  fhir: { name: 'FHIR Infrastructure', link: 'http://www.hl7.org/Special/committees/fiwg' },
  fmg: { name: 'FHIR Management Group', link: 'http://www.hl7.org/Special/committees/fhirmg' },
  fm: { name: 'Financial Management', link: 'http://www.hl7.org/Special/committees/fm' },
  hsi: { name: 'Health Standards Integration', link: 'http://www.hl7.org/Special/committees/hsi' },
  hsswg: { name: 'Human and Social Services', link: 'http://www.hl7.org/Special/committees/hsswg' },
  hta: { name: 'Terminology Authority', link: 'http://www.hl7.org/Special/committees/termauth' },
  ictc: { name: 'Conformance', link: 'http://www.hl7.org/Special/committees/ictc' },
  ii: { name: 'Imaging Integration', link: 'http://www.hl7.org/Special/committees/imagemgt' },
  inm: { name: 'Infrastructure And Messaging', link: 'http://www.hl7.org/Special/committees/inm' },
  its: { name: 'Implementable Technology Specifications', link: 'http://www.hl7.org/Special/committees/xml' },
  lhs: { name: 'Learning Health Systems', link: 'http://www.hl7.org/Special/committees/lhs' },
  mnm: { name: 'Modeling and Methodology', link: 'http://www.hl7.org/Special/committees/mnm' },
  mobile: { name: 'Mobile Health', link: 'http://www.hl7.org/Special/committees/mobile' },
  oo: { name: 'Orders and Observations', link: 'http://www.hl7.org/Special/committees/orders' },
  pa: { name: 'Patient Administration', link: 'http://www.hl7.org/Special/committees/pafm' },
  pe: { name: 'Patient Empowerment', link: 'http://www.hl7.org/Special/committees/patientempowerment' },
  pc: { name: 'Patient Care', link: 'http://www.hl7.org/Special/committees/patientcare' },
  pher: { name: 'Public Health', link: 'http://www.hl7.org/Special/committees/pher' },
  phx: { name: 'Pharmacy', link: 'http://www.hl7.org/Special/committees/medication' },
  sd: { name: 'Structured Documents', link: 'http://www.hl7.org/Special/committees/structure' },
  sec: { name: 'Security', link: 'http://www.hl7.org/Special/committees/secure' },
  soa: { name: 'Services Oriented Architecture', link: 'http://www.hl7.org/Special/committees/soa' },
  ti: { name: 'Terminology Infrastructure', link: 'http://www.hl7.org/Special/committees/Vocab', name2: 'Vocabulary' },
  tsmg: { name: 'Terminology Services Management Group (TSMG)', link: 'TSMG) (http://www.hl7.org/Special/committees/tsmg' },
  us: { name: 'US Realm Steering Committee', link: 'http://www.hl7.org/Special/committees/usrealm' },
  v2: { name: 'V2 Management Group', link: 'http://www.hl7.org/Special/committees/v2management' },
  vocab: { name: 'Terminology Infrastructure', link: 'http://www.hl7.org/Special/committees/Vocab', name2: 'Vocabulary' },
};
