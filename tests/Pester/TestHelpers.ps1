# Shared by the Pester suite: where the built module is, and a simulator started the way the README says.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Configuration = if ($env:SEEDREAMPS_CONFIGURATION) { $env:SEEDREAMPS_CONFIGURATION } else { 'Release' }
$script:ModulePath = Join-Path $script:RepoRoot 'out/SeedreamPS'
$script:ManifestPath = Join-Path $script:ModulePath 'SeedreamPS.psd1'

function Start-SeedreamSimulator {
    <# Starts the simulator in its own process; returns its base URI and the process. #>
    param([int] $LatencyMs = 500)
    $dll = Join-Path $script:RepoRoot "src/SeedreamPS.Simulator/bin/$script:Configuration/net10.0/SeedreamPS.Simulator.dll"
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
    [pscustomobject]@{
        Uri          = $firstLine.Result
        EvoLinkUri   = "$($firstLine.Result)/evolink"
        LinkModelUri = "$($firstLine.Result)/linkmodel/api/v1"
        ApiKey       = 'seedream-simulator-key'
        Process      = $process
    }
}

function Stop-SeedreamSimulator {
    param($Simulator)
    if ($Simulator -and -not $Simulator.Process.HasExited) { $Simulator.Process.Kill() }
}
