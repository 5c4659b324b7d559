# Logs without escape codes (issue 20, point 9): examples/ScheduledJob.ps1 under cron writes plain text, and a stop
# for the whole batch (no key, a bad SEEDREAM_GATEWAY) counts as one failure.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-SeedreamSimulator -LatencyMs 0
    $job = Join-Path (Get-TestRepoRoot) 'examples/ScheduledJob.ps1'

    # As cron starts it: no TERM, output and errors redirected to one log.
    function Invoke-CronJob([string] $Csv, [hashtable] $Environment) {
        $folder = Split-Path $Csv
        $variables = @{
            SEEDREAM_API_KEY = $sim.ApiKey; SEEDREAM_GATEWAY = 'EvoLink'; SEEDREAM_BASE_URI = $sim.EvoLinkUri
            SEEDREAM_JOURNAL_PATH = Join-Path $folder 'journal.jsonl'; SEEDREAM_JOB_CSV = $Csv; SEEDREAM_JOB_OUT = Join-Path $folder 'out'
            SEEDREAM_JOB_MODULE = Get-TestManifestPath
        }
        foreach ($key in $Environment.Keys) { $variables[$key] = $Environment[$key] }
        Invoke-TestPowerShell -Arguments @('-File', $job) -Environment $variables -Remove @('TERM', 'COLORTERM', 'NO_COLOR')
    }

    function New-JobCsv {
        $csv = Join-Path (New-TestFolder) 'batch.csv'
        @('Name,Prompt,Size', 'good,a good prompt,1:1', 'bad,a bad size,1:20') | Set-Content -Path $csv -Encoding utf8
        $csv
    }
}

AfterAll { Stop-SeedreamSimulator $sim }

Describe 'examples/ScheduledJob.ps1 in a log' {
    BeforeEach { Reset-Sim $sim }

    It 'writes no ANSI escape codes, errors included' {
        $run = Invoke-CronJob (New-JobCsv) @{}
        $run.ExitCode | Should -Be 1
        $run.Err | Should -Match "Record 2 \(Name 'bad'\)"
        $run.Err | Should -Not -Match "`e\["
        $run.Out | Should -Not -Match "`e\["
        $run.Out | Should -Match 'SeedreamJob: submitted 1, reused 0, saved 1, failed 1'
    }

    It 'counts a missing key as one failure' {
        $run = Invoke-CronJob (New-JobCsv) @{ SEEDREAM_API_KEY = '' }
        $run.ExitCode | Should -Be 1
        $run.Out | Should -Match 'failed 1$|failed 1\r?\n'
        $run.Err | Should -Not -Match "`e\["
    }

    It 'counts a bad SEEDREAM_GATEWAY as one failure' {
        $run = Invoke-CronJob (New-JobCsv) @{ SEEDREAM_GATEWAY = 'Foo' }
        $run.ExitCode | Should -Be 1
        $run.Err | Should -Match 'SEEDREAM_GATEWAY'
        $run.Out | Should -Match 'failed 1$|failed 1\r?\n'
    }

    It 'says in the README how cron and systemd get plain text' {
        $readme = Get-Content -Raw (Join-Path (Get-TestRepoRoot) 'README.md')
        $readme | Should -Match 'OutputRendering'
    }
}
