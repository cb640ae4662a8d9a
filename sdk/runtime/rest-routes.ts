import type { Express, RequestHandler, Router } from 'express';
import { EdgeXError } from './contracts.js';
import { sendError } from './rest.js';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];

/** Registers routes like express's `get`/`post`/… and knows, per path, which methods its routes answer. */
export type RestRoutes = Record<HttpMethod, (path: string, ...handlers: RequestHandler[]) => RestRoutes>;

/** `res.locals` key: the methods of the routes whose path matched a request that none of them answers. */
const ALLOWED_METHODS = 'allowedMethods';

/**
 * Route registration for EdgeX's 405: each path becomes one express route (`router.route(path)`) whose first
 * handler lets the methods registered on that path through and, for any other method, notes them and passes
 * the request on to the next route (another path pattern may still match it). {@link methodNotAllowed}, after
 * every route, answers 405 when some path matched and no route answered.
 */
export function restRoutes(target: Router | Express): RestRoutes {
  const byPath = new Map<string, { route: ReturnType<Router['route']>; methods: Set<string> }>();
  const routeOf = (path: string) => {
    let entry = byPath.get(path);
    if (!entry) {
      const methods = new Set<string>();
      const route = target.route(path);
      route.all((req, res, next) => {
        if (methods.has(req.method)) return next();
        const allowed = ((res.locals[ALLOWED_METHODS] as Set<string> | undefined) ??= new Set());
        for (const m of methods) allowed.add(m);
        next('route');
      });
      entry = { route, methods };
      byPath.set(path, entry);
    }
    return entry;
  };
  const routes = {} as RestRoutes;
  for (const method of HTTP_METHODS) {
    routes[method] = (path, ...handlers) => {
      const { route, methods } = routeOf(path);
      methods.add(method.toUpperCase());
      if (method === 'get') methods.add('HEAD'); // express answers HEAD with the GET route
      route[method](...handlers);
      return routes;
    };
  }
  return routes;
}

/**
 * A known path asked with a method none of its routes answers gets 405 with an `Allow` header and an EdgeX error
 * body, as EdgeX's router answers; an unknown path falls through (to the 404). Mount after every route.
 */
export function methodNotAllowed(): RequestHandler {
  return (req, res, next) => {
    const allowed = res.locals[ALLOWED_METHODS] as Set<string> | undefined;
    if (!allowed || allowed.size === 0) return next();
    const list = [...allowed].sort();
    res.setHeader('Allow', list.join(', '));
    sendError(res, new EdgeXError('NotAllowed', `method ${req.method} is not allowed on ${req.path}; allowed: ${list.join(', ')}`));
  };
}
