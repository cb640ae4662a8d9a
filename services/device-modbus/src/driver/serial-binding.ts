/**
 * The serial port binding device-modbus opens RTU lines with: the platform's own (from
 * @serialport/bindings-cpp), except that on Linux and macOS a read that returns end of file — the line
 * hung up: a USB adapter unplugged, a virtual serial line whose other end closed — is reported as a
 * disconnect. The stock binding reads again at once in that case, forever, allocating on every turn until
 * the process runs out of memory (serialport/bindings-cpp#162); with this one the port closes, the Modbus
 * connection sees it, and the next request reconnects (with backoff) and reports why it failed.
 */
import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import { autoDetect, BindingsError, type BindingInterface, type BindingPortInterface, type OpenOptions } from '@serialport/bindings-cpp';

const readAsync = promisify(fsRead);

/** What the Linux and macOS port bindings have in common (public in their type declarations). */
interface UnixPort extends BindingPortInterface {
  fd: number | null;
  readonly poller: { once(event: 'readable', cb: (err: Error | null) => void): unknown };
}

function isUnixPort(port: BindingPortInterface): port is UnixPort {
  return 'fd' in port && 'poller' in port;
}

/** Thrown when a read finds the line hung up; not `canceled`, so the serial port stream closes itself. */
export class SerialLineHungUp extends Error {
  readonly disconnect = true;
  constructor(path: string) {
    super(`serial line ${path} hung up (end of file)`);
  }
}

function whenReadable(port: UnixPort): Promise<void> {
  return new Promise((resolve, reject) => port.poller.once('readable', (err) => (err ? reject(err) : resolve())));
}

/** The stock read loop (non-blocking read, wait for readable on EAGAIN), with end of file as a hang-up. */
async function readOrHangUp(port: UnixPort, buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw new BindingsError('Port is not open', { canceled: true });
    try {
      const { bytesRead } = await readAsync(port.fd, buffer, offset, length, null);
      if (bytesRead === 0) throw new SerialLineHungUp(port.openOptions.path);
      return { buffer, bytesRead };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw err;
      await whenReadable(port);
    }
  }
}

function guardHangUp<T extends BindingPortInterface>(port: T): T {
  if (!isUnixPort(port)) return port;
  port.read = (buffer, offset, length) => readOrHangUp(port, buffer, offset, length);
  return port;
}

const platform = autoDetect() as BindingInterface<BindingPortInterface, OpenOptions>;

/** The platform's binding, with hung-up lines reported as disconnects (see the module comment). */
export const hangUpAwareBinding: BindingInterface<BindingPortInterface, OpenOptions> = {
  list: () => platform.list(),
  open: async (options) => guardHangUp(await platform.open(options)),
};
