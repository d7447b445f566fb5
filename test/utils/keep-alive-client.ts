import http from 'node:http';

export interface Answer {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

/**
 * JSON over real keep-alive sockets to an api on 127.0.0.1 (an api child process, or one in
 * this process listening on a port), the way browsers and proxies talk to it: a dropped or
 * half-answered connection rejects (ECONNRESET, socket hang up), an answer of any status
 * resolves.
 */
export class KeepAliveClient {
  readonly agent: http.Agent;

  constructor(
    readonly port: number,
    sockets = 32,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  request(method: string, path: string, body?: unknown, token?: string, timeoutMs = 60_000): Promise<Answer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          timeout: timeoutMs,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (!res.complete) return reject(new Error('answer cut short'));
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers, ms: Date.now() - started });
          });
          res.on('error', reject);
          res.on('aborted', () => reject(new Error('answer aborted')));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  async login(login: string, password = 'password'): Promise<string> {
    const res = await this.request('POST', '/api/auth/login', { login, password });
    if (res.status !== 200) throw new Error(`login ${login}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  }

  close(): void {
    this.agent.destroy();
  }
}
