# Every `powershell` block of the README and every example of every cmdlet's help runs as written against the
# simulator, in order, each in a fresh PowerShell process whose connection points at the simulator. The README's
# blocks share one working folder and journal, as a reader pasting them in turn would; each cmdlet's help examples
# share another. Any error fails the example, except the one the
# README announces: examples/prompts.csv's deliberately invalid row. Examples that need what a simulator cannot stand
# in for are listed in one table in the README and are the only ones not run.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $readme = Get-Content (Join-Path (Get-TestRepoRoot) 'README.md') -Raw
    $script:notRun = Get-ExampleNotRunLine -Readme $readme

    $examples = [System.Collections.Generic.List[object]]::new()
    $n = 0
    foreach ($match in [regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```')) {
        $n++
        $examples.Add([pscustomobject]@{ Name = "README block $n"; Code = $match.Groups[1].Value; Folder = 'README' })
    }
    Import-TestModule
    foreach ($command in (Get-Command -Module SeedreamPS | Sort-Object Name)) {
        $i = 0
        foreach ($example in (Get-Help $command.Name -Full).examples.example) {
            $i++
            $examples.Add([pscustomobject]@{ Name = "$($command.Name) example $i"; Code = ($example.code -join "`n"); Folder = $command.Name })
        }
    }
    $script:runnable = @($examples | Where-Object { -not (Test-ExampleNotRun -Code $_.Code -NotRun $notRun) } |
        ForEach-Object { @{ Name = $_.Name; Code = $_.Code; Folder = $_.Folder } })
    $skipped = @($examples | Where-Object { Test-ExampleNotRun -Code $_.Code -NotRun $notRun })
    $script:summary = @{ NotRun = $notRun; Skipped = $skipped; RunnableCount = $runnable.Count }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-SeedreamSimulator -LatencyMs 100
    # The simulated account has the inference endpoint the README's ModelArk example names.
    Set-SimConfig $sim @{ modelArkEndpoints = @{ 'ep-20251201123456-abcde' = 'seedream-5-0-260128' } }
    $root = Get-TestRepoRoot
    $base = New-TestFolder
    $folders = @{}
    function Get-ExampleFolder([string] $Folder) {
        # A folder laid out like a clone after ./build.sh build: the module in out/, the examples beside it.
        if (-not $folders.ContainsKey($Folder)) {
            $work = Join-Path $base $Folder
            New-Item -ItemType Directory -Path (Join-Path $work 'out') | Out-Null
            Copy-Item -Recurse (Get-TestModulePath) (Join-Path $work 'out/SeedreamPS')
            Copy-Item -Recurse (Join-Path $root 'examples') (Join-Path $work 'examples')
            $folders[$Folder] = $work
        }
        $folders[$Folder]
    }

    # Stands in for the user's machine: a key in the environment, connections to the simulator for every gateway,
    # Connect-Seedream's addresses defaulting to the simulator's, and Read-Host answered with the key.
    $preamble = @'
$simulatorUrl = $env:SEEDREAMPS_TEST_SIM
function Read-Host { param([Parameter(Position = 0)] $Prompt, [switch] $AsSecureString)
    if ($AsSecureString) { ConvertTo-SecureString $env:SEEDREAM_API_KEY -AsPlainText -Force } else { $env:SEEDREAM_API_KEY } }
function Connect-Seedream {
    # The user's Connect-Seedream, with the gateway's address (and the files API's) at the simulator unless given.
    $gateway = 'EvoLink'; $given = @()
    for ($i = 0; $i -lt $args.Count; $i++) {
        if ($args[$i] -is [string] -and $args[$i] -match '^-(\w+)') { $given += $Matches[1]; if ($Matches[1] -eq 'Gateway') { $gateway = [string]$args[$i + 1] } }
    }
    $extra = @{ PollIntervalSec = 0.1 }
    if ($given -notcontains 'BaseUri' -and $given -notcontains 'Region') {
        $extra.BaseUri = switch ($gateway) {
            'ModelArk' { "$env:SEEDREAMPS_TEST_SIM/modelark/api/v3" }
            'LinkModel' { "$env:SEEDREAMPS_TEST_SIM/linkmodel/api/v1" }
            default { "$env:SEEDREAMPS_TEST_SIM/evolink" } }
    }
    if ($given -notcontains 'FilesBaseUri') { $extra.FilesBaseUri = "$env:SEEDREAMPS_TEST_SIM/evolink-files" }
    SeedreamPS\Connect-Seedream @args @extra
}
foreach ($gateway in 'LinkModel', 'ModelArk', 'EvoLink') { Connect-Seedream -Gateway $gateway -ApiKey $env:SEEDREAM_API_KEY }
$Error.Clear()
# ---- the example, as written ----
'@
    $postamble = @'

# ---- what went wrong ----
$unexpected = @($Error | Where-Object {
    # The README and the help announce one deliberately invalid row in examples/prompts.csv.
    -not ($_ -is [System.Management.Automation.ErrorRecord] -and ("$($_.TargetObject.Name)" -eq 'bad-row' -or "$_" -match 'bad-row')) })
foreach ($e in $unexpected) { [Console]::Error.WriteLine("ERROR: $e [$($e.FullyQualifiedErrorId)]") }
if ($unexpected.Count -gt 0) { exit 1 }
exit 0
'@

    function Invoke-Example([string] $Name, [string] $Code, [string] $Folder) {
        $work = Get-ExampleFolder $Folder
        $script = Join-Path $work (".example-" + ($Name -replace '[^A-Za-z0-9]+', '-') + '.ps1')
        Set-Content -Path $script -Value ($preamble + "`n" + $Code + "`n" + $postamble) -Encoding utf8
        $environment = @{
            PSModulePath = (Join-Path $work 'out') + [System.IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
            SEEDREAMPS_TEST_SIM = $sim.Uri; SEEDREAM_API_KEY = $sim.ApiKey; ARK_API_KEY = $sim.ApiKey; LINKMODEL_KEY = $sim.ApiKey
            SEEDREAM_JOURNAL_PATH = Join-Path $work 'journal.jsonl'; NO_COLOR = '1'
        }
        Invoke-TestPowerShell -Arguments @('-File', $script) -WorkingDirectory $work -Environment $environment `
            -Remove @('SEEDREAM_GATEWAY', 'SEEDREAM_BASE_URI', 'SEEDREAM_FILES_BASE_URI', 'SEEDREAM_MAX_COST_USD')
    }
}

AfterAll {
    Stop-SeedreamSimulator $sim
}

Describe 'Examples run as written' {
    It '<Name>' -ForEach $runnable {
        $run = Invoke-Example -Name $Name -Code $Code -Folder $Folder
        if ($run.ExitCode -ne 0) { Write-Host "---- $Name`n$Code`n---- output`n$($run.Out)`n---- errors`n$($run.Err)" }
        $run.ExitCode | Should -Be 0 -Because $run.Err
    }

    It 'skips only the few examples the README lists as needing a real account, and each listed line is in one' -ForEach @($summary) {
        $NotRun.Count | Should -BeLessOrEqual 3
        $Skipped.Count | Should -BeLessOrEqual 4
        foreach ($line in $NotRun) {
            @($Skipped | Where-Object { Test-ExampleNotRun -Code $_.Code -NotRun @($line) }).Count | Should -BeGreaterThan 0 -Because "'$line' is listed as not run"
        }
        $RunnableCount | Should -BeGreaterThan 25
    }
}
