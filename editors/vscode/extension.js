// A minimal client: starts `sfn-lint lsp` for JSON, YAML and Terraform files. The server
// itself decides which files are state machines (.asl.*, templates, definitions by content).
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('sfn-lint').get('path') || 'sfn-lint';
  client = new LanguageClient(
    'sfn-lint',
    'sfn-lint',
    { command, args: ['lsp'] },
    {
      documentSelector: [
        { scheme: 'file', language: 'json' },
        { scheme: 'file', language: 'yaml' },
        { scheme: 'file', language: 'terraform' },
      ],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/sfn-lint.toml') },
    },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
