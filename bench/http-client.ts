import http from 'node:http';
import type { Writable } from 'node:stream';

/** A keep-alive HTTP/1.1 client for the api child on 127.0.0.1. */
export class HttpClient {
  readonly agent: http.Agent;

  constructor(
    private readonly port: number,
    sockets = 32,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** A JSON request; resolves with the status and parsed body (never rejects on a status). */
  json(method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // not JSON; keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** A GET whose body is streamed into `out`; resolves with the status and the byte count. */
  download(path: string, token: string, out: Writable): Promise<{ status: number; bytes: number }> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: this.port, path, agent: this.agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.pipe(out);
        out.on('finish', () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  }

  /** `tenant`: the municipality's 地方公共団体コード (X-Tenant), which a multi-tenant installation needs to sign in. */
  async login(login: string, password: string, tenant?: string): Promise<string> {
    const res = await this.json('POST', '/api/auth/login', { login, password }, undefined, tenant ? { 'x-tenant': tenant } : {});
    if (res.status !== 200) throw new Error(`login ${login}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  }

  close(): void {
    this.agent.destroy();
  }
}
