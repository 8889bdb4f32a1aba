/**
 * Side-by-side comparison (issue #5): the API the comparison panel and `promptscope compare` use.
 */
export { runComparison, columnsFor, cellId } from './grid';
export type { ComparisonEnv, ComparisonResult, ComparisonSpec } from './grid';
export { summarizeComparison, cellMetrics, tokensPerSecond, METRICS, METRIC_DIRECTION } from './summary';
export type { CaseVotes, ColumnSummary, ComparisonSummary, Metric, RowAgreement } from './summary';
export { tallyVotes, calibrationGap } from './voting';
export type { VoteBucket, VoteSample, VoteSummary } from './voting';
export { answerSpecFor, findAnswer, normalizeAnswer, AnswerRuleError, DEFAULT_ANSWER_PHRASES } from './answers';
export type { AnswerSpec, ExtractedAnswer } from './answers';
export { checkExpectations, hasExpectations } from './assertions';
export type { AssertionContext } from './assertions';
export { validateJson, parseJsonReply } from './jsonSchema';
export type { SchemaError, ParsedJson } from './jsonSchema';
export { diffWords, wordTokens, sideOf } from './diff';
export type { DiffOp, DiffPart, WordDiff } from './diff';
export { findTestFile, parseTestFile, testFileFormat, compileRegex } from './testCases';
export type { TestFileFormat, TestFileLocation } from './testCases';
export { locateTestFile, type TestFileLookup } from './testFile';
export { parseCsv, formatCsv, csvField } from './csv';
export { discoverVariants, addVariantFiles, baseStem } from './variants';
export type { VariantFile } from './variants';
export { toMarkdown, toCsv, toJsonl, columnLabel, formatMetric } from './exports';
export { ComparisonStore, ComparisonRecordError, parseRecord, toRecord, COMPARISON_RECORD_VERSION } from './record';
export type { ComparisonListing, ComparisonRecord } from './record';
export { TokenTrack } from './tokenTrack';
export type * from './types';
export { comparisonSettings, MODELS_KEY, SAMPLES_KEY, TESTS_FIELD } from './settings';
export type { ComparisonSettings } from './settings';
