import { durationMs, startService, type RunningServiceHandle, type StartServiceOptions } from '@edgex-ts/runtime';
import { loadSupportNotificationsConfig, SERVICE_NAME, type SupportNotificationsConfig, type SupportNotificationsConfigInput } from './config.js';
import { emailChannel, mqttChannel, recordedSend, restChannel } from './distribution/channels/index.js';
import { Distributor } from './distribution/distributor.js';
import { createNotificationsDomain, type NotificationsDomain } from './domain/index.js';
import { mountGrpcService } from './grpc/index.js';
import { notificationMetrics } from './metrics.js';
import { mountRestRoutes } from './rest/index.js';
import { startRetention } from './retention.js';
import { openNotificationStores } from './store/open.js';

export {
  SERVICE_NAME,
  loadSupportNotificationsConfig,
  supportNotificationsConfigSchema,
  SUPPORT_NOTIFICATIONS_DEFAULTS,
  type SupportNotificationsConfig,
  type SupportNotificationsConfigInput,
} from './config.js';
export { createNotificationsDomain, type NotificationsDomain } from './domain/index.js';
export { Distributor } from './distribution/distributor.js';
export { smtpMessage } from './distribution/channels/index.js';
export { openNotificationStores } from './store/open.js';
export { runRetentionPass, startRetention } from './retention.js';
export type { NotificationStores } from './store/types.js';

export type StartSupportNotificationsOptions = StartServiceOptions<SupportNotificationsConfigInput>;

export interface SupportNotificationsHandle extends RunningServiceHandle<SupportNotificationsConfig> {
  readonly domain: NotificationsDomain;
  readonly distributor: Distributor;
}

/**
 * Starts support-notifications: config → store (SQLite or MongoDB) → domain + distributor (EMAIL, REST, MQTT
 * channels) → REST and gRPC. Pending notifications and due resends left by a previous run are delivered at start.
 */
export async function startSupportNotifications(options: StartSupportNotificationsOptions = {}): Promise<SupportNotificationsHandle> {
  const config = loadSupportNotificationsConfig({ overrides: options.configOverrides, file: options.file, argv: options.argv, env: options.env });
  return startService(SERVICE_NAME, config, options, async (runtime) => {
    const stores = await openNotificationStores(config.Database, runtime.log);
    runtime.onStop(() => stores.close());
    const metrics = notificationMetrics(runtime.metrics);
    const timeoutMs = () => durationMs(config.Service.RequestTimeout);
    const channels = {
      REST: restChannel(timeoutMs),
      EMAIL: emailChannel(
        () => config.Smtp,
        () => config.Writable.InsecureSecrets,
        timeoutMs,
      ),
      MQTT: mqttChannel(timeoutMs),
    };
    runtime.onStop(async () => {
      await Promise.all(Object.values(channels).map((c) => c.close()));
    });
    const distributor = new Distributor({
      stores,
      send: recordedSend(channels),
      resendDefaults: () => ({ limit: config.Writable.ResendLimit, interval: config.Writable.ResendInterval }),
      maxInFlight: config.Distribution.MaxInFlight,
      log: runtime.log,
      onTransmission: metrics.onTransmission,
    });
    runtime.onStop(() => distributor.stop()); // before the channels close and the store closes
    const domain = createNotificationsDomain({ stores, onNotificationsAdded: () => distributor.wake(), onNotificationAdded: metrics.onNotificationAdded });
    const retention = startRetention(stores.notifications, config.Retention, runtime.log, metrics.onRetention);
    if (retention) runtime.onStop(() => retention.stop());

    mountRestRoutes(runtime.rest, domain, { maxResultCount: config.Service.MaxResultCount });
    mountGrpcService(runtime, domain);
    await runtime.start();
    distributor.wake();
    return { domain, distributor };
  });
}
