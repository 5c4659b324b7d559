<#
.SYNOPSIS
    The SeedreamPS demo: a CSV batch against a local simulator, no API key needed.
.DESCRIPTION
    Starts the simulator, connects to it, runs examples/prompts.csv through
    Import-Csv | New-SeedreamImage | Save-SeedreamImage, lists the saved files, and stops the simulator.
    One row of the CSV is deliberately invalid: it is reported and the rest of the batch goes on.
    Against a real gateway the same chain needs only Connect-Seedream -Gateway EvoLink -ApiKey ...
#>
param(
    [string] $Csv = (Join-Path $PSScriptRoot 'prompts.csv'),
    [string] $OutDir = (Join-Path $PSScriptRoot '../out/demo'),
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '..')
Import-Module (Join-Path $root 'out/SeedreamPS/SeedreamPS.psd1') -Force

$start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
foreach ($a in @((Join-Path $root "src/SeedreamPS.Simulator/bin/$Configuration/net10.0/SeedreamPS.Simulator.dll"), '--urls', 'http://127.0.0.1:0', '--latency-ms', '2000')) { $start.ArgumentList.Add($a) }
$start.RedirectStandardOutput = $true
$start.RedirectStandardError = $true
$simulator = [System.Diagnostics.Process]::Start($start)
try {
    $url = $simulator.StandardOutput.ReadLine()
    Write-Host "Simulator at $url"
    # The demo's simulated tasks get their own journal, apart from the user's real one.
    Connect-Seedream -Gateway EvoLink -ApiKey 'seedream-simulator-key' -BaseUri "$url/evolink" -PollIntervalSec 0.5 `
        -JournalPath (Join-Path $OutDir 'journal.jsonl')

    $files = Import-Csv $Csv |
        New-SeedreamImage -ErrorAction Continue |
        Save-SeedreamImage -Path $OutDir -FileName '{Name}-{Index}.png' -Force

    Write-Host "Saved $(@($files).Count) images to $((Resolve-Path $OutDir).Path):"
    $files | Sort-Object Name | Format-Table Name, Length, TaskId -AutoSize | Out-Host
}
finally {
    Disconnect-Seedream
    if (-not $simulator.HasExited) { $simulator.Kill() }
}
