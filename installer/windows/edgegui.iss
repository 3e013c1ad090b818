; Inno Setup 6 script: the EdgeGUI installer for Windows (x64).
;
; Installs for the current user by default: no administrator rights needed (the setup
; offers an all-users install when it has them). Start-menu entry, optional desktop icon,
; optional `edgegui` on PATH for the command line. Built by installer/windows/build.ps1 from
; PyInstaller's dist\edgegui folder:
;
;     iscc /DAppVersion=0.1.0 installer\windows\edgegui.iss

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z installer\windows\edgegui.iss
#endif

[Setup]
AppId={{7C1E6F0A-3B1D-4E0B-9F4B-6A2E5D8C1F20}
AppName=EdgeGUI
AppVersion={#AppVersion}
AppPublisher=EdgeGUI developers
DefaultDirName={autopf}\EdgeGUI
DefaultGroupName=EdgeGUI
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\LICENSE
SetupIconFile=..\..\resources\icons\edgegui.ico
UninstallDisplayIcon={app}\edgegui.exe
OutputDir=..\..\dist
OutputBaseFilename=edgegui-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes

[Tasks]
Name: desktopicon; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: addtopath; Description: "Add edgegui to PATH (for the command line)"; Flags: unchecked

[Files]
Source: "..\..\dist\edgegui\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; edgegui-desktop.exe is the windowed twin of edgegui.exe (no console window flashes up).
Name: "{autoprograms}\EdgeGUI"; Filename: "{app}\edgegui-desktop.exe"; IconFilename: "{app}\edgegui.exe"
Name: "{autodesktop}\EdgeGUI"; Filename: "{app}\edgegui-desktop.exe"; IconFilename: "{app}\edgegui.exe"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "{code:EnvironmentKey}"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: PathLacks(ExpandConstant('{app}'))

[Run]
Filename: "{app}\edgegui-desktop.exe"; Description: "{cm:LaunchProgram,EdgeGUI}"; Flags: nowait postinstall skipifsilent

[Code]
{ The user's environment for a per-user install, the machine's for an all-users one. }
function EnvironmentKey(Param: String): String;
begin
  if IsAdminInstallMode then
    Result := 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
  else
    Result := 'Environment';
end;

function PathLacks(Dir: String): Boolean;
var
  Paths: String;
begin
  if not RegQueryStringValue(HKA, EnvironmentKey(''), 'Path', Paths) then
    Result := True
  else
    Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;
