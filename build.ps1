<#
.SYNOPSIS
    Builds, tests, packages and demonstrates SeedreamPS.
.DESCRIPTION
    Build    assembles out/SeedreamPS/ (manifest, assemblies, dependencies/) for Import-Module.
    Test     runs the xunit suite (dotnet test) and then the Pester suite; results go to out/test-results/
             (xunit.trx and pester.xml, NUnit XML).
    Pester   runs only the Pester suite against the built module; writes out/test-results/pester.xml and prints
             "Pester: N passed, N failed, N skipped".
    Package  makes out/package/SeedreamPS.<version>.nupkg (Compress-PSResource), which Install-PSResource installs
             from a folder or feed registered with Register-PSResourceRepository.
    Demo     starts a simulator and runs examples/prompts.csv as a batch, listing the saved files.
    Bench    runs the throughput, overhead, memory and polling benchmarks (bench/).
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package', 'Demo', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Skip the build step (the caller already built).
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
$PesterVersion = '5.9.1'   # the version tools/restore/PowerShellTools.csproj downloads
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    if ($NoBuild) { return }
    Invoke-Native dotnet @('build', 'SeedreamPS.sln', '-c', $Configuration, '-nologo', '-v', 'quiet', '-clp:NoSummary')
    Write-Host "Module: $(Join-Path $PSScriptRoot 'out/SeedreamPS')"
}

function Invoke-PesterSuite {
    # Pester comes from NuGet into out/tools (tools/restore), not from the PowerShell Gallery; a missing Pester is a
    # failure that says why, never a silent skip.
    $pesterManifest = Join-Path $PSScriptRoot "out/tools/packages/pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $pesterManifest)) {
        Invoke-Native dotnet @('restore', (Join-Path $PSScriptRoot 'tools/restore/PowerShellTools.csproj'), '-nologo', '-v', 'quiet')
    }
    if (-not (Test-Path $pesterManifest)) { throw "Pester $PesterVersion could not be restored from NuGet into $pesterManifest." }
    Import-Module $pesterManifest -Force
    $env:SEEDREAMPS_CONFIGURATION = $Configuration
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $PSScriptRoot 'tests/Pester'
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    # Logs (CI, a redirected run) get plain text, not colour escape codes.
    if ([Console]::IsOutputRedirected) { $config.Output.RenderMode = 'Plaintext' }
    # The results file, not the console, is what the totals are counted from (build.sh and .ci/run read it).
    $results = Join-Path $PSScriptRoot 'out/test-results'
    New-Item -ItemType Directory -Force -Path $results | Out-Null
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = Join-Path $results 'pester.xml'
    $result = Invoke-Pester -Configuration $config
    Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $result.PassedCount, $result.FailedCount, ($result.SkippedCount + $result.NotRunCount))
    if ($result.FailedCount -gt 0 -or $result.Result -eq 'Failed') { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' {
        Invoke-Build
        $results = Join-Path $PSScriptRoot 'out/test-results'
        Invoke-Native dotnet @('test', 'SeedreamPS.sln', '-c', $Configuration, '--no-build', '--logger', 'trx;LogFileName=xunit.trx', '--results-directory', $results)
        Invoke-PesterSuite
    }
    'Pester' {
        Invoke-Build
        Invoke-PesterSuite
    }
    'Package' {
        Invoke-Build
        # A .nupkg as PSResourceGet publishes it: Install-PSResource takes it from any repository, a folder included.
        $destination = Join-Path $PSScriptRoot 'out/package'
        if (Test-Path $destination) { Remove-Item -Recurse -Force $destination }
        New-Item -ItemType Directory -Path $destination | Out-Null
        Compress-PSResource -Path (Join-Path $PSScriptRoot 'out/SeedreamPS') -DestinationPath $destination
        $package = Get-ChildItem $destination -Filter 'SeedreamPS.*.nupkg' | Select-Object -First 1
        if (-not $package) { throw "Compress-PSResource wrote no SeedreamPS .nupkg into $destination." }
        Write-Host "Package: $($package.FullName)"
    }
    'Bench' {
        Invoke-Build
        Invoke-Native dotnet @('run', '--no-build', '-c', $Configuration, '--project', 'bench/SeedreamPS.Bench', '--', '--configuration', $Configuration)
    }
    'Demo' {
        Invoke-Build
        & (Join-Path $PSScriptRoot 'examples/Demo.ps1') -Configuration $Configuration
    }
}
