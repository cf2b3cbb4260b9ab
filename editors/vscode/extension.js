// Starts `sfn-lint lsp` for JSON, YAML and Terraform files; the server decides which files are
// state machines (.asl.*, templates with a state machine, definitions by their root).
const path = require('path');
const fs = require('fs');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

/** The binary: the `sfn-lint.path` setting, else the one bundled in `bin/`, else the PATH's. */
function command(context) {
  const configured = vscode.workspace.getConfiguration('sfn-lint').get('path');
  if (configured) return configured;
  const exe = process.platform === 'win32' ? 'sfn-lint.exe' : 'sfn-lint';
  const bundled = path.join(context.extensionPath, 'bin', exe);
  return fs.existsSync(bundled) ? bundled : 'sfn-lint';
}

function severity() {
  return vscode.workspace.getConfiguration('sfn-lint').get('severity') || {};
}

async function start(context) {
  client = new LanguageClient(
    'sfn-lint',
    'sfn-lint',
    { command: command(context), args: ['lsp'] },
    {
      documentSelector: [
        { scheme: 'file', language: 'json' },
        { scheme: 'file', language: 'jsonc' },
        { scheme: 'file', language: 'yaml' },
        { scheme: 'file', language: 'terraform' },
        { scheme: 'untitled', language: 'json' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      initializationOptions: { severity: severity() },
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/sfn-lint.toml') },
    },
  );
  await client.start();
}

async function restart(context) {
  if (client) await client.stop();
  await start(context);
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('sfn-lint.restart', () => restart(context)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('sfn-lint.path')) {
        await restart(context);
      } else if (e.affectsConfiguration('sfn-lint.severity') && client) {
        await client.sendNotification('workspace/didChangeConfiguration', {
          settings: { 'sfn-lint': { severity: severity() } },
        });
      }
    }),
    { dispose: () => client && client.stop() },
  );
  try {
    await start(context);
  } catch (e) {
    vscode.window.showErrorMessage(
      `sfn-lint: could not start the language server (${e.message}). Set "sfn-lint.path" to an sfn-lint binary.`,
    );
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
