#!/usr/bin/env node
// A local SMTP server for the demo started by scripts/up.sh: it accepts every message,
// stores it as an .eml file under var/mail/ and logs its recipients and subject, so reminder
// mail can be read without a real mail server. Not for production.
//   node scripts/mail-catcher.js [--port 1025] [--host 127.0.0.1] [--dir var/mail]
'use strict';
const fs = require('fs');
const path = require('path');
const { SMTPServer } = require('smtp-server');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const port = Number(arg('port', '1025'));
const host = arg('host', '127.0.0.1');
const dir = path.resolve(arg('dir', path.join(__dirname, '..', 'var', 'mail')));
fs.mkdirSync(dir, { recursive: true });

/** Decodes RFC 2047 encoded words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=) as nodemailer writes them. */
function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?') // whitespace between adjacent encoded words is not part of the text
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      try {
        return new TextDecoder(charset).decode(bytes);
      } catch {
        return bytes.toString('utf8');
      }
    });
}

function header(raw, name) {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? decodeWords(line.slice(name.length + 1).trim()) : '';
}

let count = 0;
const server = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  banner: 'hyoka mail catcher (demo only)',
  size: 25 * 1024 * 1024,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username || 'demo' }); // any credentials are fine here
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(dir, `${stamp}-${process.pid}-${++count}.eml`);
      fs.writeFileSync(file, raw);
      const text = raw.toString('utf8');
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
      console.log(`${new Date().toISOString()} mail to ${to}: ${header(text, 'Subject')} -> ${path.relative(process.cwd(), file)}`);
      callback();
    });
  },
});

let listening = false;
server.on('error', (err) => {
  console.error(`mail catcher error: ${err.message}`);
  if (!listening) process.exit(1); // e.g. the port is taken: up.sh sees the exit and says so
});
server.listen(port, host, () => {
  listening = true;
  console.log(`mail catcher listening on ${host}:${port}, saving to ${dir}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
