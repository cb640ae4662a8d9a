import { parse as parseYaml } from 'yaml';
import { DeviceProfileSchema, EdgeXError, errorMessage, parseDto, parseJson, type DeviceProfile } from '@edgex-ts/contracts';

/**
 * Reads a device profile file as EdgeX's uploadfile endpoint and ProfilesDir accept it: YAML, or JSON
 * (which YAML parses too). Throws ContractInvalid naming the field that is wrong.
 */
export function parseProfileFile(text: string): DeviceProfile {
  if (text.trim() === '') throw new EdgeXError('ContractInvalid', 'profile file is empty');
  let value: unknown;
  try {
    value = parseJsonProfile(text) ?? parseYaml(text);
  } catch (err) {
    throw new EdgeXError('ContractInvalid', `profile file is neither valid YAML nor JSON: ${errorMessage(err)}`, err);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EdgeXError('ContractInvalid', 'profile file must hold one profile object');
  }
  return parseDto(DeviceProfileSchema, value, 'profile');
}

/**
 * A JSON profile file read as JSON (exact 64-bit integers such as a uint64 `mask`, and far faster than the YAML
 * parser); undefined when the text is not JSON, for YAML to read.
 */
function parseJsonProfile(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return parseJson(text, { what: 'profile file' });
  } catch (err) {
    if (err instanceof EdgeXError) throw err; // too deep
    return undefined;
  }
}
