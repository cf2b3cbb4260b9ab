#!/usr/bin/env node
// Runs the sfn-lint binary that npm installed for this platform: one optional dependency per
// platform carries it (the esbuild/biome pattern), so nothing is downloaded after install.
// SFN_LINT_BINARY names another binary to run instead.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

function isMusl() {
  if (process.platform !== 'linux') return false;
  try {
    const report = process.report && process.report.getReport();
    const header = report && (typeof report === 'string' ? JSON.parse(report) : report).header;
    return !(header && header.glibcVersionRuntime);
  } catch (_) {
    return false;
  }
}

function packageName() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
  if (!arch || !os) return null;
  return `@sfn-lint/cli-${os}-${arch}${isMusl() ? '-musl' : ''}`;
}

function binary() {
  if (process.env.SFN_LINT_BINARY) return process.env.SFN_LINT_BINARY;
  const name = packageName();
  if (!name) {
    throw new Error(`sfn-lint has no prebuilt binary for ${process.platform}-${process.arch}; install it with \`cargo install sfn-lint\``);
  }
  const exe = process.platform === 'win32' ? 'sfn-lint.exe' : 'sfn-lint';
  try {
    return require.resolve(`${name}/bin/${exe}`);
  } catch (_) {
    throw new Error(
      `the package ${name}, which carries sfn-lint's binary for this platform, is not installed.\n` +
        'Optional dependencies may have been skipped (npm --no-optional, or a lockfile made on another platform): ' +
        'reinstall without --omit=optional, or set SFN_LINT_BINARY to an sfn-lint binary.',
    );
  }
}

let exe;
try {
  exe = binary();
} catch (e) {
  process.stderr.write(`sfn-lint: ${e.message}\n`);
  process.exit(2);
}
const result = spawnSync(exe, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
if (result.error) {
  process.stderr.write(`sfn-lint: could not run ${exe}: ${result.error.message}\n`);
  process.exit(2);
}
if (result.signal) {
  process.kill(process.pid, result.signal);
}
process.exit(result.status === null ? 2 : result.status);
