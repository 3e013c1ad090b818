# Builds the Windows installer: dist\edgegui-<version>-windows-x64-setup.exe
# Needs Python 3.11+ (python.org, x64) and Inno Setup 6 (iscc on PATH, or its default folder).
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

py -3 -m venv build\venv
build\venv\Scripts\python -m pip install --upgrade pip
build\venv\Scripts\python -m pip install ".[installer]"
$version = build\venv\Scripts\python -c "import edgegui; print(edgegui.__version__)"

build\venv\Scripts\python installer\third_party.py --out build\third-party
$env:EDGEGUI_THIRD_PARTY = (Resolve-Path build\third-party).Path
build\venv\Scripts\pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\edgegui.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

dist\edgegui\edgegui.exe --version
if ($LASTEXITCODE -ne 0) { throw "the frozen edgegui.exe does not start" }

$iscc = (Get-Command iscc -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" installer\windows\edgegui.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "built dist\edgegui-$version-windows-x64-setup.exe"
