-- Neovim (0.7+) as a real LSP client of `sfn-lint lsp`: opens $SFN_FILE, waits for the
-- diagnostics, writes "CODE line col" (0-based, as Neovim stores them) to $SFN_OUT, quits.
local bin, file, out = os.getenv('SFN_BIN'), os.getenv('SFN_FILE'), os.getenv('SFN_OUT')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local client = vim.lsp.start_client({
  name = 'sfn-lint',
  cmd = { bin, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
vim.lsp.buf_attach_client(0, client)
vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
  table.insert(lines, string.format('%s %d %d', tostring(code), d.lnum, d.col))
end
table.sort(lines)
vim.fn.writefile(lines, out)
vim.lsp.stop_client(client)
vim.cmd('qa!')
