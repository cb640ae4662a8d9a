/**
 * A device resource's SNMP attributes. EdgeX device-snmp's `oid` (required), `community` and `size` (accepted,
 * unused: SNMP carries its own lengths), plus this driver's extras: `walk`, `snmpType`, `version`, `encoding`.
 */
import { EdgeXError } from '@edgex-ts/contracts';
import type { CommandRequest } from '@edgex-ts/device-sdk';
import { parseVersion, type SnmpVersion } from './protocol.js';
import { ObjectType, type ObjectTypeName } from './net-snmp.js';

/** How an OctetString becomes a `String` value: as UTF-8 text, as hex bytes, or text when printable (auto). */
export type OctetEncoding = 'auto' | 'text' | 'hex';

export interface ResourceSpec {
  resourceName: string;
  valueType: string;
  /** Numeric OID without a leading dot. */
  oid: string;
  community?: string;
  version?: SnmpVersion;
  /** Read every OID below `oid` (a table or column) into one array or object value. */
  walk: boolean;
  /** SNMP syntax for SET when the value type alone does not decide it. */
  snmpType?: SetType;
  encoding: OctetEncoding;
}

/** SNMP syntaxes a SET can send. */
export type SetType = Exclude<ObjectTypeName, 'Null' | 'NoSuchObject' | 'NoSuchInstance' | 'EndOfMibView'>;

const SET_TYPES: Record<string, SetType> = {
  boolean: 'Boolean',
  integer: 'Integer',
  integer32: 'Integer',
  int: 'Integer',
  octetstring: 'OctetString',
  string: 'OctetString',
  oid: 'OID',
  objectidentifier: 'OID',
  ipaddress: 'IpAddress',
  counter: 'Counter',
  counter32: 'Counter',
  gauge: 'Gauge',
  gauge32: 'Gauge',
  unsigned32: 'Gauge',
  timeticks: 'TimeTicks',
  opaque: 'Opaque',
  counter64: 'Counter64',
};

const OID = /^\d+(\.\d+)+$/;

/** Value types a `walk` resource can hold: one object keyed by OID suffix, a list of rows, or an array. */
export function isWalkValueType(valueType: string): boolean {
  return valueType === 'Object' || valueType === 'ObjectArray' || valueType.endsWith('Array');
}

function invalid(resource: string, attribute: string, value: unknown, expected: string): EdgeXError {
  return new EdgeXError('ContractInvalid', `deviceResource ${resource}: attributes.${attribute} = ${JSON.stringify(value)}: expected ${expected}`);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && String(value).trim() !== '';
}

/** A numeric OID (a leading dot is allowed, as net-snmp tools print them), normalised without the dot. */
export function normaliseOid(value: string): string {
  return value.trim().replace(/^\./, '');
}

function parseBool(resource: string, attribute: string, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  const t = String(value).trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw invalid(resource, attribute, value, 'true or false');
}

/** Throws ContractInvalid naming the resource and the attribute. */
export function parseResource(req: CommandRequest): ResourceSpec {
  const name = req.deviceResourceName;
  const a = req.attributes ?? {};
  if (!present(a.oid)) throw new EdgeXError('ContractInvalid', `deviceResource ${name}: attributes.oid is required (a numeric OID such as 1.3.6.1.2.1.1.1.0)`);
  if (typeof a.oid !== 'string' && typeof a.oid !== 'number') throw invalid(name, 'oid', a.oid, 'a numeric OID such as 1.3.6.1.2.1.1.1.0');
  const oid = normaliseOid(String(a.oid));
  if (!OID.test(oid)) throw invalid(name, 'oid', a.oid, 'a numeric OID such as 1.3.6.1.2.1.1.1.0');

  const walk = parseBool(name, 'walk', a.walk);
  if (walk && !isWalkValueType(req.valueType)) {
    throw invalid(name, 'walk', a.walk, `valueType Object, ObjectArray or an array type for a walk (the resource has ${req.valueType})`);
  }
  const spec: ResourceSpec = { resourceName: name, valueType: req.valueType, oid, walk, encoding: 'auto' };
  if (present(a.community)) spec.community = String(a.community);
  if (present(a.version)) spec.version = parseVersion(a.version, `deviceResource ${name}: attributes.version`);
  if (present(a.snmpType)) {
    const t =
      SET_TYPES[
        String(a.snmpType)
          .trim()
          .toLowerCase()
          .replace(/[\s_-]/g, '')
      ];
    if (!t)
      throw invalid(
        name,
        'snmpType',
        a.snmpType,
        `one of ${Object.keys(ObjectType)
          .filter((k) => Object.values(SET_TYPES).includes(k as SetType))
          .join(', ')}`,
      );
    spec.snmpType = t;
  }
  if (present(a.encoding)) {
    const e = String(a.encoding).trim().toLowerCase();
    if (e !== 'auto' && e !== 'text' && e !== 'hex') throw invalid(name, 'encoding', a.encoding, 'auto, text or hex');
    spec.encoding = e;
  }
  return spec;
}
