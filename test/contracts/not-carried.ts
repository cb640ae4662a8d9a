// The one list of fields that are deliberately not carried (or not exactly) somewhere, each with its reason. The
// field checks (sdk/contracts/mappers-carry-fields.test.ts, test/contracts/stores-carry-fields.test.ts) fail on any
// other field that does not come back as it was sent.
import { describeDifference, fieldOf, type Difference, type Loss } from './fields.js';

/** Where a field can be lost: a mapper round trip, the DTO schema's own fields, or a store. */
export type Stage = 'proto→DTO→proto' | 'DTO→proto→DTO' | 'DTO fields' | 'SQLite store' | 'MongoDB store';

export interface NotCarried {
  /**
   * Path as the checks print it, list indices as `[]` (`Event.readings[].units`); a leading `*.` matches the field
   * wherever it sits (`*.created`: every message's created).
   */
  field: string;
  stages: Stage[];
  /** What is accepted: the field left out, or an integer rounded to a double. */
  loss: Loss;
  reason: string;
}

/** Why created and modified are not exact beyond 2^53 (only the samples go there). */
const MS_TIMESTAMP =
  'int64 ms since 1970, held as a JS number by the DTOs (exact to 2^53, some 285,000 years): core-metadata assigns ' +
  'them itself; beyond 2^53 the mappers round them to a double, and a stored JSON body reads such a double back as ' +
  'the integer it prints as';
export const NOT_CARRIED: NotCarried[] = [
  {
    field: 'DeviceProfile.apiVersion',
    stages: ['DTO fields', 'DTO→proto→DTO'],
    loss: 'dropped',
    reason:
      'the version of the profile document format ("v3" in profile files): core-metadata keeps it and answers with it ' +
      'over REST; edgex.common.v1.DeviceProfile has no field for it, so a profile travels over gRPC without it',
  },
  // (A Binary reading's mediaType is still checked: proto → DTO → proto carries it in BinaryValue.)
  ...['Reading.mediaType', 'Event.readings[].mediaType'].map((field): NotCarried => ({
    field,
    stages: ['DTO→proto→DTO'],
    loss: 'dropped',
    reason:
      'edgex.common.v1.Reading holds a media type only in its BinaryValue: a mediaType sent with a reading that is not ' +
      'Binary (EdgeX DTOs allow it) does not travel over gRPC; REST and both stores keep it',
  })),
  ...['*.created', '*.modified'].map((field): NotCarried => ({
    field,
    stages: ['proto→DTO→proto', 'SQLite store', 'MongoDB store'],
    loss: 'rounded',
    reason: MS_TIMESTAMP,
  })),
];

function matches(pattern: string, field: string): boolean {
  return pattern.startsWith('*.') ? field.endsWith(pattern.slice(1)) : field === pattern;
}

/** The differences NOT_CARRIED does not explain for this stage, as lines naming the field and what happened. */
export function unexplained(differences: Difference[], stage: Stage): string[] {
  return differences
    .filter((d) => !NOT_CARRIED.some((n) => n.stages.includes(stage) && n.loss === d.loss && matches(n.field, fieldOf(d.path))))
    .map(describeDifference);
}
