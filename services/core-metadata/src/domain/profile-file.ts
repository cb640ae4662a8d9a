import { parse as parseYaml } from 'yaml';
import { DeviceProfileSchema, EdgeXError, parseDto, type DeviceProfile } from '@edgex-ts/sdk/contracts';

/**
 * Reads a device profile file as EdgeX's uploadfile endpoint and ProfilesDir accept it: YAML, or JSON
 * (which YAML parses too). Throws ContractInvalid naming the field that is wrong.
 */
export function parseProfileFile(text: string): DeviceProfile {
  if (text.trim() === '') throw new EdgeXError('ContractInvalid', 'profile file is empty');
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new EdgeXError('ContractInvalid', `profile file is neither valid YAML nor JSON: ${(err as Error).message}`, err);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EdgeXError('ContractInvalid', 'profile file must hold one profile object');
  }
  return parseDto(DeviceProfileSchema, value, 'profile');
}
