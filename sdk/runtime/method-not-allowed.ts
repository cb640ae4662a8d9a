import type { RequestHandler, Router } from 'express';
import { EdgeXError } from './contracts.js';
import { sendError } from './rest.js';

/**
 * What this module reads of Express 5's router (the `router` package, v2): each layer of `stack` matches a path
 * (`match` is pure: it returns the match or false); a route layer has `route.methods`, a mounted router's layer
 * has `handle.stack`.
 */
interface RouterLayer {
  match(path: string): { path: string } | false;
  route?: { methods: Record<string, boolean | undefined> };
  handle?: { stack?: RouterLayer[] };
}

/** The HTTP methods the routes under `stack` answer for `path` (mounted routers included); `*` for app.all. */
export function routeMethods(stack: readonly RouterLayer[], path: string): Set<string> {
  const methods = new Set<string>();
  for (const layer of stack) {
    const match = layer.match(path);
    if (!match) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) if (on) methods.add(method === '_all' ? '*' : method.toUpperCase());
    } else if (layer.handle?.stack) {
      for (const m of routeMethods(layer.handle.stack, path.slice(match.path.length) || '/')) methods.add(m);
    }
  }
  if (methods.has('GET')) methods.add('HEAD');
  return methods;
}

/**
 * A known path asked with a method none of its routes answers gets 405 with an `Allow` header and an EdgeX error
 * body, as EdgeX's router answers; an unknown path falls through (to the 404). Mount after every route.
 */
export function methodNotAllowed(router: Router): RequestHandler {
  return (req, res, next) => {
    const allowed = routeMethods(router.stack as unknown as RouterLayer[], req.path);
    if (allowed.size === 0 || allowed.has('*') || allowed.has(req.method)) {
      next();
      return;
    }
    const list = [...allowed].sort();
    res.setHeader('Allow', list.join(', '));
    sendError(res, new EdgeXError('NotAllowed', `method ${req.method} is not allowed on ${req.path}; allowed: ${list.join(', ')}`));
  };
}
