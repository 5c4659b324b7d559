<#
.SYNOPSIS
    Runs a Seedream batch from a CSV file as a scheduled job (Task Scheduler, cron, a systemd timer).
.DESCRIPTION
    Everything comes from environment variables, so the job needs no interactive step and no secret in its command line:

      SEEDREAM_API_KEY         the gateway key (required)
      SEEDREAM_GATEWAY         EvoLink (default), LinkModel or ModelArk
      SEEDREAM_BASE_URI        another API root (a proxy, or the simulator)
      SEEDREAM_JOURNAL_PATH    where paid tasks are recorded (default: the account's local application data folder)
      SEEDREAM_MAX_COST_USD    the most one run may spend, in US dollars (records past it fail and are not sent)
      SEEDREAM_JOB_CSV         the batch: a CSV file with a Prompt column (and Name, Size, Quality, Count, ...) (required)
      SEEDREAM_JOB_OUT         the folder the images are saved to (required)
      SEEDREAM_JOB_FILENAME    the file name template (default {Name}-{Index}{Ext})
      SEEDREAM_JOB_MODULE      where SeedreamPS is, when it is not installed in a module path
      SEEDREAM_JOB_GALLERY     write a review page there (index.html: thumbnails, prompts, costs, failed records)

    It runs with -Resume, so a rerun after a crash, a reboot or a failed download pays for nothing twice and saves only
    what is missing. It prints one summary line and exits 1 when any record failed, so Task Scheduler, cron and systemd
    report the failure instead of success.
.EXAMPLE
    pwsh -NoProfile -File ./examples/ScheduledJob.ps1
#>
[CmdletBinding()]
param()

# A job's log (cron's >> job.log 2>&1, the journal of systemd, a Task Scheduler redirect) is no terminal: errors and
# output in plain text, without ANSI colour codes. Windows PowerShell 5.1 has no $PSStyle and writes none anyway.
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

$ErrorActionPreference = 'Stop'
foreach ($name in 'SEEDREAM_JOB_CSV', 'SEEDREAM_JOB_OUT') {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        [Console]::Error.WriteLine("ScheduledJob: $name is not set.")
        exit 2
    }
}
$module = if ($env:SEEDREAM_JOB_MODULE) { $env:SEEDREAM_JOB_MODULE } else { 'SeedreamPS' }
Import-Module $module
$template = if ($env:SEEDREAM_JOB_FILENAME) { $env:SEEDREAM_JOB_FILENAME } else { '{Name}-{Index}{Ext}' }

# From here on a failing record is reported (on stderr, for the job's log) and the rest of the batch goes on.
$ErrorActionPreference = 'Continue'
$tasks = [System.Collections.Generic.List[object]]::new()
$stopped = @()
try {
    $files = @(Import-Csv -LiteralPath $env:SEEDREAM_JOB_CSV |
        New-SeedreamImage -Resume -ErrorVariable submitErrors |
        ForEach-Object { $tasks.Add($_); $_ } |
        Save-SeedreamImage -Path $env:SEEDREAM_JOB_OUT -FileName $template -NoClobber -ErrorVariable saveErrors)
}
catch {
    # A stop for the whole batch (no key, an unreadable CSV): nothing more can be done this run.
    [Console]::Error.WriteLine("ScheduledJob: $($_.Exception.Message)")
    $stopped = @($_)
    $files = @()
}
# One failure, one count: a stop (no key, a bad SEEDREAM_GATEWAY) is both caught here and in -ErrorVariable.
$failed = [System.Collections.Generic.List[object]]::new()
foreach ($item in @(@($submitErrors) + @($saveErrors) + $stopped)) {
    if ($null -eq $item) { continue }
    # -ErrorVariable keeps a stop as the exception that carries its error record.
    $record = if ($item -is [System.Management.Automation.IContainsErrorRecord]) { $item.ErrorRecord } else { $item }
    $seen = $false
    foreach ($known in $failed) { if ([object]::ReferenceEquals($known.Exception, $record.Exception)) { $seen = $true; break } }
    if (-not $seen) { $failed.Add($record) }
}

if ($env:SEEDREAM_JOB_GALLERY) {
    $files | Export-SeedreamGallery -Path $env:SEEDREAM_JOB_GALLERY -Failure $failed -Title ('Seedream job ' + (Get-Date -Format 'yyyy-MM-dd HH:mm')) | Out-Null
}

$reused = @($tasks | Where-Object Reused).Count
$summary = 'SeedreamJob: submitted {0}, reused {1}, saved {2}, failed {3}' -f ($tasks.Count - $reused), $reused, $files.Count, $failed.Count
[Console]::Out.WriteLine($summary)
if ($failed.Count -gt 0) { exit 1 }
exit 0
