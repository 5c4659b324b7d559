# Shared by the Pester suite: the built module, and a simulator started the way the README says.
# Dot-source it in BeforeAll. Functions compute paths from this file's location, so they work from any scope.

function Get-TestRepoRoot { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }

function Get-TestConfiguration { if ($env:SEEDREAMPS_CONFIGURATION) { $env:SEEDREAMPS_CONFIGURATION } else { 'Release' } }

function Get-TestModulePath { Join-Path (Get-TestRepoRoot) 'out/SeedreamPS' }

function Get-TestManifestPath { Join-Path (Get-TestModulePath) 'SeedreamPS.psd1' }

function Get-TestPowerShellPath {
    <# The executable of the PowerShell running the tests, from $PSHOME: under a .NET-tool install the process itself is
       dotnet, so (Get-Process -Id $PID).Path would start the wrong program. #>
    if ($PSVersionTable.PSEdition -eq 'Desktop') { return Join-Path $PSHOME 'powershell.exe' }
    if ($IsWindows) { return Join-Path $PSHOME 'pwsh.exe' }
    Join-Path $PSHOME 'pwsh'
}

function Start-TestPowerShell {
    <# Starts a PowerShell of its own (the host's executable from $PSHOME) with its output and errors read as it runs.
       -Environment sets variables, -Remove drops inherited ones. Returns the process with .Out and .Err tasks. #>
    param([string[]] $Arguments, [hashtable] $Environment = @{}, [string[]] $Remove = @(), [string] $WorkingDirectory)
    $start = [System.Diagnostics.ProcessStartInfo]::new((Get-TestPowerShellPath))
    foreach ($a in @('-NoProfile', '-NonInteractive') + $Arguments) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    if ($WorkingDirectory) { $start.WorkingDirectory = $WorkingDirectory }
    foreach ($name in $Remove) { [void]$start.Environment.Remove($name) }
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string]$Environment[$name] }
    $process = [System.Diagnostics.Process]::Start($start)
    $process | Add-Member -NotePropertyName Out -NotePropertyValue $process.StandardOutput.ReadToEndAsync()
    $process | Add-Member -NotePropertyName Err -NotePropertyValue $process.StandardError.ReadToEndAsync() -PassThru
}

function Invoke-TestPowerShell {
    <# Runs a PowerShell of its own to the end (see Start-TestPowerShell); returns its exit code, output and errors. #>
    param([string[]] $Arguments, [hashtable] $Environment = @{}, [string[]] $Remove = @(), [string] $WorkingDirectory, [int] $TimeoutSec = 180)
    $process = Start-TestPowerShell -Arguments $Arguments -Environment $Environment -Remove $Remove -WorkingDirectory $WorkingDirectory
    if (-not $process.WaitForExit($TimeoutSec * 1000)) { $process.Kill(); throw "The child PowerShell ($($Arguments -join ' ')) did not finish within $TimeoutSec seconds." }
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Out = $process.Out.Result; Err = $process.Err.Result }
}

function Get-ExampleNotRunLine {
    <# The lines of the README's table of examples the tests do not run (first column, code between backticks). #>
    param([string] $Readme)
    $table = [regex]::Match($Readme, '(?ms)^\| Example \(a line of it\) \| Needs \|\r?\n\|[-|]+\|\r?\n(.*?)(\r?\n\r?\n|\z)')
    if (-not $table.Success) { throw 'README.md has no table of examples that are not run.' }
    foreach ($row in ($table.Groups[1].Value -split '\r?\n')) {
        $cell = [regex]::Match($row, '^\| `(.*?)` \|')
        if ($cell.Success) { $cell.Groups[1].Value -replace '\\\|', '|' }
    }
}

function Test-ExampleNotRun {
    <# Whether an example holds one of the lines listed as not run. #>
    param([string] $Code, [string[]] $NotRun)
    foreach ($line in ($Code -split '\r?\n')) { if ($NotRun -contains $line.Trim()) { return $true } }
    $false
}

function Import-TestModule { Import-Module (Get-TestManifestPath) -Force -ErrorAction Stop }

function Start-SeedreamSimulator {
    <# Starts the simulator in its own process; returns its URIs, key and process. #>
    param([int] $LatencyMs = 300)
    $dll = Join-Path (Get-TestRepoRoot) "src/SeedreamPS.Simulator/bin/$(Get-TestConfiguration)/net10.0/SeedreamPS.Simulator.dll"
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--urls', 'http://127.0.0.1:0', '--latency-ms', "$LatencyMs")) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $firstLine = $process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait([TimeSpan]::FromSeconds(60))) {
        $process.Kill()
        throw 'The simulator printed no URL within 60 seconds.'
    }
    $uri = $firstLine.Result
    [pscustomobject]@{
        Uri          = $uri
        EvoLinkUri   = "$uri/evolink"
        LinkModelUri = "$uri/linkmodel/api/v1"
        ModelArkUri  = "$uri/modelark/api/v3"
        VolcengineUri = "$uri/volcengine/api/v3"
        ModelArkEuUri = "$uri/modelark-eu-west/api/v3"
        FilesUri     = "$uri/evolink-files"
        ApiKey       = 'seedream-simulator-key'
        Process      = $process
    }
}

function Stop-SeedreamSimulator {
    param($Simulator)
    if ($Simulator -and -not $Simulator.Process.HasExited) { $Simulator.Process.Kill() }
}

function Get-SimCounter {
    <# Requests the simulator received on one endpoint (evolink.create, linkmodel.query, image, ...). #>
    param($Simulator, [string] $Name)
    $counters = Invoke-RestMethod -Uri "$($Simulator.Uri)/_sim/counters"
    $value = $counters.PSObject.Properties[$Name]
    if ($value) { [int]$value.Value } else { 0 }
}

function Reset-Sim {
    param($Simulator)
    Invoke-RestMethod -Method Post -Uri "$($Simulator.Uri)/_sim/reset" | Out-Null
}

function Set-SimConfig {
    param($Simulator, [hashtable] $Settings)
    Invoke-RestMethod -Method Post -Uri "$($Simulator.Uri)/_sim/config" -Body ($Settings | ConvertTo-Json) -ContentType 'application/json' | Out-Null
}

function New-TestFolder {
    $path = Join-Path ([System.IO.Path]::GetTempPath()) ('seedreamps-pester-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
}

function Start-TestSession {
    <# What a test file that talks to the simulator starts with: the built module, a simulator of its own, and a journal
       of its own in SEEDREAM_JOURNAL_PATH (never the user's: the file's paid-for tasks are simulated). Returns the
       simulator; end the file with Stop-TestSession. #>
    param([int] $LatencyMs = 300)
    Import-TestModule
    $simulator = Start-SeedreamSimulator -LatencyMs $LatencyMs
    $env:SEEDREAM_JOURNAL_PATH = Join-Path (New-TestFolder) 'journal.jsonl'
    $simulator
}

function Stop-TestSession {
    <# Undoes Start-TestSession: forgets the connections, stops the simulator, clears SEEDREAM_JOURNAL_PATH. #>
    param($Simulator)
    Disconnect-Seedream
    Stop-SeedreamSimulator $Simulator
    $env:SEEDREAM_JOURNAL_PATH = $null
}

function Clear-TestEnvironment {
    <# Clears SEEDREAM_API_KEY, SEEDREAM_GATEWAY and SEEDREAM_BASE_URI, so a call uses only what the session holds;
       returns what they were, for Restore-TestEnvironment. #>
    $saved = @{}
    foreach ($name in 'SEEDREAM_API_KEY', 'SEEDREAM_GATEWAY', 'SEEDREAM_BASE_URI') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    $saved
}

function Restore-TestEnvironment {
    param([hashtable] $Saved)
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}

function Connect-TestGateway {
    <# Connects to the simulator in $sim (the caller's Start-SeedreamSimulator result, found when called): EvoLink (the
       default) with the simulator's files API and a short poll, LinkModel with a short poll, ModelArk as it is. Any other
       Connect-Seedream parameter passes through (Connect-TestGateway -JournalPath $path), and wins over these. #>
    param(
        [ValidateSet('EvoLink', 'ModelArk', 'LinkModel')] [string] $Gateway = 'EvoLink',
        [switch] $PassThru,
        [Parameter(ValueFromRemainingArguments)] [object[]] $ConnectParameter = @()
    )
    $settings = switch ($Gateway) {
        'EvoLink' { @{ BaseUri = $sim.EvoLinkUri; FilesBaseUri = $sim.FilesUri; PollIntervalSec = 0.1 } }
        'ModelArk' { @{ BaseUri = $sim.ModelArkUri } }
        'LinkModel' { @{ BaseUri = $sim.LinkModelUri; PollIntervalSec = 0.1 } }
    }
    # The remaining arguments arrive as '-Name', value, '-Switch', ... (or '-Name:', value); make them named parameters.
    for ($i = 0; $i -lt $ConnectParameter.Count; $i++) {
        $token = $ConnectParameter[$i]
        if ($token -isnot [string] -or $token -notmatch '^-(\w+):?$') { throw "Connect-TestGateway: '$token' is not a parameter name." }
        $name = $Matches[1]
        $next = if ($i + 1 -lt $ConnectParameter.Count) { $ConnectParameter[$i + 1] }
        if ($i + 1 -lt $ConnectParameter.Count -and -not ($next -is [string] -and $next -match '^-\w+:?$')) { $settings[$name] = $next; $i++ }
        else { $settings[$name] = $true }
    }
    Connect-Seedream -Gateway $Gateway -ApiKey $sim.ApiKey -PassThru:$PassThru @settings
}

function New-ReferenceImages {
    <# Two real, different PNGs (ref-0.png, ref-1.png) made through the simulator in $sim; returns their folder. #>
    Reset-Sim $sim
    Set-SimConfig $sim @{ latencyMs = 0 }
    Connect-TestGateway
    $folder = New-TestFolder
    New-SeedreamImage -Prompt 'reference' -Count 2 -Wait | Save-SeedreamImage -Path $folder -FileName 'ref-{Index}.png' | Out-Null
    $folder
}

function Test-IsPng {
    <# Whether a file starts with the PNG signature. #>
    param([string] $Path)
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    $bytes.Length -gt 8 -and $bytes[0] -eq 0x89 -and $bytes[1] -eq 0x50 -and $bytes[2] -eq 0x4E -and $bytes[3] -eq 0x47
}
