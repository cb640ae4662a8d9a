/** EdgeX read and write transforms (reference §5.2) as pure functions. */
export { AssertionError, NAN, OVERFLOW, applyMappings, checkAssertion, processReadValue, transformReadValue, valueText } from './read.js';
export { checkBounds, parameterOrDefault, parseWriteValue, processWriteValue, reverseMapping, transformWriteValue } from './write.js';
export { fitsType, isFloatType, isIntType, isNumericType, isUnsignedType, profileNumber } from './numeric.js';
