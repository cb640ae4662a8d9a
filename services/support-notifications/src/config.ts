import { commonConfigSchema, durationMs, goDuration, loadConfig, writableSectionSchema, type DeepPartial } from '@edgex-ts/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'support-notifications';

function isPositiveDuration(text: string): boolean {
  try {
    return durationMs(text) > 0;
  } catch {
    return true; // goDuration reports a malformed one
  }
}

/** support-notifications' own keys on top of the common ones (EdgeX cmd/support-notifications/res/configuration.yaml). */
export const supportNotificationsConfigSchema = commonConfigSchema.extend({
  Writable: writableSectionSchema
    .extend({
      /** Further attempts of a failed CRITICAL transmission, unless its subscription sets resendLimit. */
      ResendLimit: z.number().int().min(0).default(2),
      /** Pause before each further attempt, unless the subscription sets resendInterval. */
      ResendInterval: goDuration.refine(isPositiveDuration, { message: 'must be more than 0' }).default('5s'),
    })
    .prefault({}),
  /** The SMTP server of the EMAIL channel. */
  Smtp: z
    .object({
      Host: z.string().default('smtp.gmail.com'),
      Port: z.number().int().min(1).max(65535).default(587),
      /** The envelope sender (MAIL FROM); the message's From header is the notification's sender, as EdgeX writes it. */
      Sender: z.string().default('jdoe@gmail.com'),
      Subject: z.string().default('EdgeX Notification'),
      /** Accept a self-signed certificate on STARTTLS. */
      EnableSelfSignedCert: z.boolean().default(false),
      /** `usernamepassword` = log in with the `username`/`password` of the secret SecretName; `none` = no login. */
      AuthMode: z.enum(['usernamepassword', 'none']).default('usernamepassword'),
      SecretName: z.string().default('smtp'),
    })
    .prefault({}),
  /** How many notifications (first sends) and resends are delivered at once; the rest wait in the store. */
  Distribution: z
    .object({
      MaxInFlight: z.number().int().min(1).max(1000).default(16),
    })
    .prefault({}),
  /** EdgeX v4 retention: every Interval, above MaxCap notifications the oldest go (with their transmissions) until MinCap remain. */
  Retention: z
    .object({
      Enabled: z.boolean().default(false),
      Interval: goDuration.refine(isPositiveDuration, { message: 'must be more than 0' }).default('30m'),
      MaxCap: z.number().int().min(1).default(5000),
      MinCap: z.number().int().min(0).default(4000),
    })
    .refine((r) => r.MinCap < r.MaxCap, { message: 'MinCap must be less than MaxCap', path: ['MinCap'] })
    .prefault({}),
});

export type SupportNotificationsConfig = z.infer<typeof supportNotificationsConfigSchema>;
export type SupportNotificationsConfigInput = DeepPartial<z.input<typeof supportNotificationsConfigSchema>>;

export const SUPPORT_NOTIFICATIONS_DEFAULTS: SupportNotificationsConfigInput = {
  Service: { Port: 59860, GrpcPort: 49860 },
  Database: { Path: './data/support-notifications.db' },
  // EdgeX v3's support-notifications takes notifications over REST only; no bus connection unless enabled.
  MessageBus: { Disabled: true, Optional: { ClientId: 'support-notifications' } },
};

export function loadSupportNotificationsConfig(opts: {
  overrides?: SupportNotificationsConfigInput;
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}): SupportNotificationsConfig {
  return loadConfig({
    service: SERVICE_NAME,
    schema: supportNotificationsConfigSchema,
    defaults: SUPPORT_NOTIFICATIONS_DEFAULTS,
    overrides: opts.overrides,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
  });
}
