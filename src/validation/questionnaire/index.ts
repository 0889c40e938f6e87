/**
 * Questionnaire and QuestionnaireResponse rules of the reference validator (QuestionnaireValidator and
 * EnableWhenEvaluator in the HL7 Java validator): authoring rules of a Questionnaire, and a response
 * against the Questionnaire it answers.
 */
export { checkQuestionnaire } from './authoring.js';
export { checkQuestionnaireResponse } from './response.js';
export type { EnableWhenExpression } from './enable-when.js';
export type { QuestionnaireEnv } from './model.js';
