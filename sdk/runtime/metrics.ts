import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | undefined;

/** Process-wide registry holding the default process metrics (registered once per process). */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A service's own registry (several services can live in one process). */
export function createMetricsRegistry(service: string): Registry {
  const reg = new Registry();
  reg.setDefaultLabels({ service });
  return reg;
}

/** Prometheus text: process metrics + the service's own metrics. */
export async function metricsText(reg: Registry): Promise<{ contentType: string; text: string }> {
  const [processText, ownText] = await Promise.all([processMetricsRegistry().metrics(), reg.metrics()]);
  return { contentType: reg.contentType, text: `${processText.trimEnd()}\n\n${ownText}` };
}

/** Returns the metric `name` already on `reg`, else creates it (so calling twice is harmless). */
export function newCounter<L extends string = string>(reg: Registry, name: string, help: string, labelNames: L[] = []): Counter<L> {
  const existing = reg.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter<L>({ name, help, labelNames, registers: [reg] });
}

export function newGauge<L extends string = string>(reg: Registry, name: string, help: string, labelNames: L[] = []): Gauge<L> {
  const existing = reg.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  return new Gauge<L>({ name, help, labelNames, registers: [reg] });
}

export function newHistogram<L extends string = string>(reg: Registry, name: string, help: string, labelNames: L[] = [], buckets?: number[]): Histogram<L> {
  const existing = reg.getSingleMetric(name);
  if (existing) return existing as Histogram<L>;
  return new Histogram<L>({ name, help, labelNames, registers: [reg], ...(buckets ? { buckets } : {}) });
}

/** Counts HTTP requests and observes their latency, labelled by method, matched route and status. */
export function httpMetricsMiddleware(reg: Registry): RequestHandler {
  const requests = newCounter(reg, 'http_requests_total', 'HTTP requests handled', ['method', 'route', 'status']);
  const latency = newHistogram(
    reg,
    'http_request_duration_seconds',
    'HTTP request latency',
    ['method', 'route', 'status'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route?.path !== undefined ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
