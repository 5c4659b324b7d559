# Nothing paid for is lost in the scripts people really write (issue 19): repeated names, a stop while creates are in
# flight, failures of the whole batch, an unwritable target, one retry policy; and the journal under it all (-Resume,
# unsaved tasks, a create whose answer was lost, an expired image).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 100

    # A journal of its own for each test, named on the connection (which outlives an earlier file's -JournalPath).
    function Connect-Fresh {
        $env:SEEDREAM_JOURNAL_PATH = Join-Path (New-TestFolder) 'journal.jsonl'
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $env:SEEDREAM_JOURNAL_PATH
    }
}

AfterAll { Stop-TestSession $sim }

Describe 'Two images, one file name' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 100 }
        Connect-Fresh
    }

    It 'never replaces one image by another: the second claim is an error naming both, and the image stays unsaved' {
        $d = New-TestFolder
        foreach ($run in 0..2) {
            $files = @(1..3 | ForEach-Object { [pscustomobject]@{ Name = 'hero'; Prompt = "dup name row $_ run $run" } } | New-SeedreamImage |
                Save-SeedreamImage -Path $d -FileName '{Name}-{Index}{Ext}' -ErrorVariable ev -ErrorAction SilentlyContinue)
            $onDisk = @(Get-ChildItem -LiteralPath $d -Filter '*.png')
            $onDisk.Count | Should -Be 1
            # Every FileInfo written is a file on disk, and only the first run wrote one.
            $files.Count | Should -Be ($run -eq 0 ? 1 : 0)
            $ev.Count | Should -Be ($run -eq 0 ? 2 : 3)
            @(Get-ChildItem -LiteralPath $d -Force -Filter '*.partial').Count | Should -Be 0
        }
        # Within one command the error names both records and suggests {TaskId}.
        $collision = $ev | Where-Object { $_.FullyQualifiedErrorId -like 'SeedreamPS.FileNameCollision*' } | Select-Object -First 1
        # 9 images were paid for, 1 is on disk: the other 8 are listed as unsaved.
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 8
        $saved = $files
    }

    It 'two processes saving one name at once into one folder: one file, the other image an error and unsaved, nothing replaced' {
        # Two scheduled jobs that share a folder, a file name and the journal, started together on a barrier.
        $d = New-TestFolder
        $gate = New-TestFolder
        $job = Join-Path $gate 'job.ps1'
        Set-Content -LiteralPath $job -Value @'
Import-Module $env:SEEDREAM_TEST_MODULE
Connect-Seedream -Gateway EvoLink -ApiKey $env:SEEDREAM_API_KEY -BaseUri $env:SEEDREAM_BASE_URI -PollIntervalSec 0.1
$null = New-Item -ItemType File -Path (Join-Path $env:GATE "ready-$env:JOB")
while (-not (Test-Path (Join-Path $env:GATE 'go'))) { Start-Sleep -Milliseconds 10 }
$files = @(New-SeedreamImage -Prompt "report of job $env:JOB" -Size 2048x2048 |
    Save-SeedreamImage -Path $env:OUT -FileName 'report{Ext}' -ErrorVariable failures -ErrorAction SilentlyContinue)
"saved=$($files.Count)"
foreach ($f in $failures) { "error=$($f.FullyQualifiedErrorId)" }
'@
        $jobs = foreach ($n in 1, 2) {
            Start-TestPowerShell -Arguments @('-File', $job) -Environment @{
                SEEDREAM_API_KEY = $sim.ApiKey; SEEDREAM_BASE_URI = $sim.EvoLinkUri; SEEDREAM_JOURNAL_PATH = $env:SEEDREAM_JOURNAL_PATH
                SEEDREAM_TEST_MODULE = Get-TestManifestPath; GATE = $gate; JOB = $n; OUT = $d }
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while (@(Get-ChildItem -LiteralPath $gate -Filter 'ready-*').Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $null = New-Item -ItemType File -Path (Join-Path $gate 'go')
        foreach ($p in $jobs) { $p.WaitForExit(120000) | Should -BeTrue }
        $said = ($jobs | ForEach-Object { $_.Out.Result }) -join "`n"

        @(Get-ChildItem -LiteralPath $d -Force).Name | Should -Be @('report.png')
        ([regex]::Matches($said, 'saved=1')).Count | Should -Be 1 -Because $said
        ([regex]::Matches($said, 'saved=0')).Count | Should -Be 1 -Because $said
        $said | Should -Match 'error=SeedreamPS\.(FileExists|FileNameCollision)'
        # Both were paid for and journalled; the one that lost the name is unsaved, with the file on disk the winner's.
        $unsaved = @(Get-SeedreamTask -Unsaved)
        $unsaved.Count | Should -Be 1
        (Get-SeedreamImageInfo -LiteralPath (Join-Path $d 'report.png')).TaskId | Should -Not -Be $unsaved[0].Id
        Get-SimCounter $sim 'evolink.create' | Should -Be 2
    }

    It 'names both records in the error of a collision within one command, and suggests {TaskId}' {
        $d = New-TestFolder
        1..2 | ForEach-Object { [pscustomobject]@{ Name = 'hero'; Prompt = "collision $_" } } | New-SeedreamImage |
            Save-SeedreamImage -Path $d -FileName '{Name}-{Index}{Ext}' -ErrorVariable ev -ErrorAction SilentlyContinue | Out-Null
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.FileNameCollision*'
        $ids = @(Get-SeedreamTask -Unsaved).Id
        $ids.Count | Should -Be 1
        $message = $ev[0].Exception.Message
        $message | Should -BeLike "*$($ids[0])*"
        $message | Should -Match 'task-unified-\S+ .*task-unified-|task-unified-.*task-unified-'
        $message | Should -BeLike '*{TaskId}*'
    }

    It 'with -NoClobber, keeps the file but reports images of other records instead of skipping them silently' {
        # examples/ScheduledJob.ps1 saves with -NoClobber: three rows named alike once exited 0 with one file on disk.
        $d = New-TestFolder
        $task = [pscustomobject]@{ Name = 'hero'; Prompt = 'noclobber first' } | New-SeedreamImage -Wait
        $first = $task | Save-SeedreamImage -Path $d -FileName '{Name}-{Index}{Ext}' -NoClobber
        2..4 | ForEach-Object { [pscustomobject]@{ Name = 'hero'; Prompt = "noclobber $_" } } | New-SeedreamImage |
            Save-SeedreamImage -Path $d -FileName '{Name}-{Index}{Ext}' -NoClobber -ErrorVariable ev -ErrorAction SilentlyContinue | Out-Null
        @(Get-ChildItem -LiteralPath $d -Filter '*.png').Count | Should -Be 1
        $ev.Count | Should -Be 3
        $ev | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.FileNameCollision*' }
        $ev | ForEach-Object { $_.Exception.Message | Should -BeLike "*$($first.TaskId)*" }
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 3
        # A rerun of the same images is still what -NoClobber is for: kept, without an error.
        $task | Save-SeedreamImage -Path $d -FileName '{Name}-{Index}{Ext}' -NoClobber -ErrorVariable again -ErrorAction SilentlyContinue | Out-Null
        $again.Count | Should -Be 0
    }

    It 'with -Force, overwrites, and the journal lists the overwritten image as unsaved again' {
        $d = New-TestFolder
        'force one' | New-SeedreamImage | Save-SeedreamImage -Path $d -FileName 'same{Ext}' | Out-Null
        'force two' | New-SeedreamImage | Save-SeedreamImage -Path $d -FileName 'same{Ext}' -Force | Out-Null
        @(Get-ChildItem -LiteralPath $d -Filter '*.png').Count | Should -Be 1
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 1
        (Get-SeedreamTask -Unsaved).Prompt | Should -Be 'force one'
    }

    It 'across two commands of one pipeline: the second names the record whose file it is' {
        $d = New-TestFolder
        $tasks = @(1..2 | ForEach-Object { "two commands $_" } | New-SeedreamImage -Wait)
        $tasks | ForEach-Object { $_ | Save-SeedreamImage -Path $d -FileName 'one{Ext}' -ErrorVariable +ev2 -ErrorAction SilentlyContinue } | Out-Null
        @(Get-ChildItem -LiteralPath $d -Filter '*.png').Count | Should -Be 1
        $ev2.Count | Should -Be 1
        $ev2[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.FileNameCollision*'
        $ev2[0].Exception.Message | Should -BeLike "*$($tasks[0].Id)*$($tasks[1].Id)*"
        (Get-SeedreamTask -Unsaved).Id | Should -Be $tasks[1].Id
    }

    It 'keeps {Index} and the literal parts when a long name is shortened' {
        $d = New-TestFolder
        $long = 'x' * 300
        [pscustomobject]@{ Name = $long; Prompt = 'long name'; Count = 2 } | New-SeedreamImage -Count 2 |
            Save-SeedreamImage -Path $d -FileName '{Name}-v{Index}{Ext}' -ErrorVariable ev -ErrorAction SilentlyContinue | Out-Null
        $ev.Count | Should -Be 0
        $names = @(Get-ChildItem -LiteralPath $d -Filter '*.png' | Sort-Object Name).Name
        $names.Count | Should -Be 2
        $names[0] | Should -Match '^x+-v0\.png$'
        $names[1] | Should -Match '^x+-v1\.png$'
        $names[0].Length | Should -BeLessOrEqual 200
    }
}

Describe 'A stop while creates are in flight' {
    BeforeAll {
        function Add-SimFault([string] $Json) {
            Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' -Body $Json | Out-Null
        }
        # Runs a script in a PowerShell of its own that ends when the script does, as a scheduled job does.
        function Invoke-Script([string] $Script, [string] $Journal) {
            $file = Join-Path (New-TestFolder) 'job.ps1'
            Set-Content -LiteralPath $file -Value $Script
            Invoke-TestPowerShell -Arguments @('-File', $file) -TimeoutSec 120 -Environment (Get-ScriptEnvironment $Journal)
        }
        function Get-ScriptEnvironment([string] $Journal) {
            @{ SEEDREAM_API_KEY = $sim.ApiKey; SEEDREAM_BASE_URI = $sim.EvoLinkUri; SEEDREAM_JOURNAL_PATH = $Journal; SEEDREAM_TEST_MODULE = Get-TestManifestPath }
        }
        $rows = Join-Path (New-TestFolder) 'rows.csv'
        @(
            [pscustomobject]@{ Name = 'a'; Prompt = 'stop row a'; Count = '1' }
            [pscustomobject]@{ Name = 'b'; Prompt = 'stop row b'; Count = '1' }
            [pscustomobject]@{ Name = 'c'; Prompt = 'stop row c'; Count = '1' }
            [pscustomobject]@{ Name = 'bad'; Prompt = 'stop row bad'; Count = '99' }
        ) | Export-Csv -LiteralPath $rows -NoTypeInformation
    }

    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
    }

    It "with `$ErrorActionPreference = 'Stop' and a bad row, journals the creates in flight, and -Resume reuses them with 0 new creates" {
        # The creates answer after a moment, so the bad row stops the pipeline while all three are in flight.
        Add-SimFault '[{"target":"evolink.create","kind":"Slow","delayMs":1500,"times":3}]'
        $journal = Join-Path (New-TestFolder) 'journal.jsonl'
        $out = New-TestFolder
        $run = Invoke-Script -Journal $journal -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module `$env:SEEDREAM_TEST_MODULE
# A source that takes a moment per row, as a large file or a query does: the good rows are sent before the bad one is read.
Import-Csv '$rows' | ForEach-Object { if (`$_.Name -eq 'bad') { Start-Sleep -Milliseconds 500 }; `$_ } | New-SeedreamImage | Save-SeedreamImage -Path '$out' -FileName '{Name}-{Index}{Ext}'
"@
        $run.ExitCode | Should -Not -Be 0
        $run.Err + $run.Out | Should -BeLike '*Count*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 3

        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $journal
        $files = @(Import-Csv $rows | Select-Object -First 3 | New-SeedreamImage -Resume | Save-SeedreamImage -Path $out -FileName '{Name}-{Index}{Ext}')
        $files.Count | Should -Be 3
        Get-SimCounter $sim 'evolink.create' | Should -Be 3
    }

    It 'with -ErrorAction Stop on a refused row, journals the others in flight and sends nothing after the stop' {
        Add-SimFault '[{"target":"evolink.create","kind":"Slow","delayMs":1500,"times":2},{"target":"evolink.create","kind":"Status","status":400,"times":1}]'
        $journal = Join-Path (New-TestFolder) 'journal.jsonl'
        $run = Invoke-Script -Journal $journal -Script @"
Import-Module `$env:SEEDREAM_TEST_MODULE
1..6 | ForEach-Object { "erroraction row `$_" } | New-SeedreamImage -ThrottleLimit 3 -ErrorAction Stop
"@
        $run.ExitCode | Should -Not -Be 0
        # Three sent at once (two slow, one refused at once); the refusal stops the command, so rows 4..6 are never sent.
        Get-SimCounter $sim 'evolink.create' | Should -Be 3
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $journal
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 2
    }

    It 'with Ctrl+C (SIGINT) while creates are in flight, journals them with their ids' -Skip:($IsWindows) {
        Add-SimFault '[{"target":"evolink.create","kind":"Slow","delayMs":2500,"times":3}]'
        $journal = Join-Path (New-TestFolder) 'journal.jsonl'
        $file = Join-Path (New-TestFolder) 'job.ps1'
        Set-Content -LiteralPath $file -Value @"
Import-Module `$env:SEEDREAM_TEST_MODULE
1..3 | ForEach-Object { "ctrl-c row `$_" } | New-SeedreamImage -ThrottleLimit 3 | Out-Null
"@
        $process = Start-TestPowerShell -Arguments @('-File', $file) -Environment (Get-ScriptEnvironment $journal)
        # Ctrl+C once all three are on the wire.
        for ($i = 0; $i -lt 600 -and (Get-SimCounter $sim 'evolink.create') -lt 3; $i++) { Start-Sleep -Milliseconds 50 }
        & kill -s INT $process.Id
        if (-not $process.WaitForExit(60000)) { $process.Kill(); throw 'the script did not stop' }
        Get-SimCounter $sim 'evolink.create' | Should -Be 3
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $journal
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 3
    }

    It 'with break in the pipeline, journals the creates in flight' {
        Add-SimFault '[{"target":"evolink.create","kind":"Slow","delayMs":1500,"times":2}]'
        $journal = Join-Path (New-TestFolder) 'journal.jsonl'
        $run = Invoke-Script -Journal $journal -Script @"
Import-Module `$env:SEEDREAM_TEST_MODULE
1..3 | ForEach-Object { "break row `$_" } | New-SeedreamImage -ThrottleLimit 3 | ForEach-Object { break }
'after'
"@
        Get-SimCounter $sim 'evolink.create' | Should -Be 3
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $journal
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 3
    }
}

Describe 'A failure that is the batch''s, not the record''s' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-Fresh
    }

    It 'a wrong key on 20 prompts is one terminating error that counts the records not sent' {
        $failure = $null
        try {
            1..20 | ForEach-Object { "wrong key $_" } | New-SeedreamImage -ApiKey 'not-the-key' -ThrottleLimit 2 -ErrorVariable ev -ErrorAction SilentlyContinue | Out-Null
        } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        # The cause's id, as for a refused key that stops nothing, and how many records were not sent.
        $failure.FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.Api.authentication_error*'
        $failure.Exception.RecordsNotSent | Should -Be 20
        $failure.Exception.Message | Should -BeLike '*20 record(s) were not sent*-Resume*'
        $failure.Exception.Message | Should -Not -BeLike '*not-the-key*'
        # Only the one error (PowerShell also lists it, wrapped, in -ErrorVariable).
        @($ev | Where-Object { "$_" -notlike '*record(s) were not sent*' }).Count | Should -Be 0
        Get-SimCounter $sim 'evolink.create' | Should -BeLessOrEqual 2
    }

    It 'an exhausted balance stops sending, and a rerun with -Resume after topping up sends the rest' {
        Set-SimConfig $sim @{ balance = 0 }
        { 1..6 | ForEach-Object { "no balance $_" } | New-SeedreamImage -ThrottleLimit 1 } | Should -Throw '*6 record(s) were not sent*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 1
        Set-SimConfig $sim @{ balance = 1000 }
        @(1..6 | ForEach-Object { "no balance $_" } | New-SeedreamImage -ThrottleLimit 1 -Resume).Count | Should -Be 6
    }

    It 'an API host that refuses connections is one error, not one per record' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri "http://127.0.0.1:$port/evolink" -MaxRetryCount 0 -JournalPath $env:SEEDREAM_JOURNAL_PATH
        $errors = 0
        try {
            1..5 | ForEach-Object { "unreachable $_" } | New-SeedreamImage -ThrottleLimit 1 -ErrorVariable ev -ErrorAction SilentlyContinue | Out-Null
        } catch { $errors++; $_.Exception.Message | Should -BeLike '*5 record(s) were not sent*' }
        $errors | Should -Be 1
        # Only the one error (PowerShell also lists it, wrapped, in -ErrorVariable).
        @($ev | Where-Object { "$_" -notlike '*record(s) were not sent*' }).Count | Should -Be 0
    }

    It 'a refusal of one record stays that record''s error and the rest go on' {
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' -Body '[{"target":"evolink.create","kind":"Status","status":400,"times":1}]' | Out-Null
        $tasks = @(1..3 | ForEach-Object { "one refused $_" } | New-SeedreamImage -ThrottleLimit 1 -ErrorVariable ev -ErrorAction SilentlyContinue)
        $tasks.Count | Should -Be 2
        $ev.Count | Should -Be 1
    }
}

Describe 'An unwritable target is found before anything is paid for' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-Fresh
    }

    It 'Save-SeedreamImage checks its folder in begin, so New-SeedreamImage sends nothing' {
        $parent = Join-Path (New-TestFolder) 'a-file'
        Set-Content -LiteralPath $parent -Value 'not a folder'
        { 1..4 | ForEach-Object { "unwritable $_" } | New-SeedreamImage | Save-SeedreamImage -Path (Join-Path $parent 'out') } |
            Should -Throw '*cannot be created or written*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }
}

Describe 'One retry policy for every request' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-Fresh
    }

    It 'a download waits as the image host''s Retry-After asks, and -Verbose says how long and why' {
        $task = New-SeedreamImage 'retry after on the image host' -Wait
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' -Body '[{"target":"image","kind":"Status","status":429,"retryAfterSeconds":1,"times":1}]' | Out-Null
        $out = New-TestFolder
        $verbose = $task | Save-SeedreamImage -Path $out -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @(Get-ChildItem -LiteralPath $out -Filter '*.png').Count | Should -Be 1
        ($verbose | Out-String) | Should -BeLike '*waiting 1.0 s, as its Retry-After asks (1.0 s), before retry 1 of * of a download*'
    }

    It 'deleting an uploaded reference goes through the same retries' {
        $refs = New-ReferenceImages
        Connect-Fresh
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -FilesBaseUri $sim.FilesUri -PollIntervalSec 0.1 -JournalPath $env:SEEDREAM_JOURNAL_PATH
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' -Body '[{"target":"files.delete","kind":"Status","status":429,"retryAfterSeconds":0,"times":2}]' | Out-Null
        $before = Get-SimCounter $sim 'files.delete'
        $verbose = New-SeedreamImage -Prompt 'the same, on marble' -ReferenceImage (Join-Path $refs 'ref-0.png') -Wait -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        (Get-SimCounter $sim 'files.delete') - $before | Should -Be 3
        ($verbose | Out-String) | Should -BeLike '*before retry 2 of * of a request: *files API refused the request (HTTP 429*'
    }

    It 'status queries that keep answering 429 end in an error that says the task is kept and how to get it' {
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -MaxRetryCount 1 -JournalPath $env:SEEDREAM_JOURNAL_PATH
        Set-SimConfig $sim @{ latencyMs = 30000 }
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' -Body '[{"target":"evolink.query","kind":"Status","status":429,"retryAfterSeconds":0,"times":100}]' | Out-Null
        'kept despite 429s' | New-SeedreamImage | Save-SeedreamImage -Path (New-TestFolder) -ErrorVariable ev -ErrorAction SilentlyContinue | Out-Null
        $ev.Count | Should -Be 1
        $ev[0].Exception.Message | Should -BeLike '*is kept in the journal: Get-SeedreamTask -Unsaved | Save-SeedreamImage saves it later, and a rerun with -Resume reuses it.'
        $ev[0].Exception.Message | Should -BeLike '*rate*'
    }
}

Describe 'Nothing paid for is lost' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 200 }
        $journal = Join-Path (New-TestFolder) 'journal.jsonl'
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $journal
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ Name = "row$_"; Prompt = "prompt $_" } }
    }

    It 'journals every created task before outputting it' {
        $tasks = $rows | New-SeedreamImage
        $lines = Get-Content $journal | ForEach-Object { $_ | ConvertFrom-Json }
        ($lines | Where-Object type -EQ 'created').id | Sort-Object | Should -Be ($tasks.Id | Sort-Object)
        (Get-Content $journal -Raw) | Should -Not -Match $sim.ApiKey
    }

    It 'reuses the paid tasks of the same batch with -Resume' {
        $first = $rows | New-SeedreamImage
        $again = $rows | New-SeedreamImage -Resume
        ($again.Id | Sort-Object) | Should -Be ($first.Id | Sort-Object)
        Get-SimCounter $sim 'evolink.create' | Should -Be 3
        ($again | Where-Object { $_.Context['Name'] -eq 'row2' }).Request.Prompt | Should -Be 'prompt 2'
    }

    It 'lists unsaved paid tasks and saves them with their names' {
        $rows | New-SeedreamImage | Out-Null
        $unsaved = @(Get-SeedreamTask -Unsaved)
        $unsaved.Count | Should -Be 3
        $out = New-TestFolder
        $files = $unsaved | Save-SeedreamImage -Path $out -FileName '{Name}.png'
        ($files.Name | Sort-Object) | Should -Be @('row1.png', 'row2.png', 'row3.png')
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 0
    }

    It 'saves only what is missing when a batch is saved again' {
        $out = New-TestFolder
        $tasks = $rows | New-SeedreamImage -Wait
        $tasks | Select-Object -First 1 | Save-SeedreamImage -Path $out -FileName '{Name}.png' | Out-Null
        $downloads = Get-SimCounter $sim 'image'
        $files = $tasks | Save-SeedreamImage -Path $out -FileName '{Name}.png'
        $files.Count | Should -Be 2
        (Get-SimCounter $sim 'image') - $downloads | Should -Be 2
        (Get-ChildItem $out).Count | Should -Be 3
    }

    It 'holds a request whose earlier create never got an answer' {
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' `
            -Body '[{"target":"evolink.create","kind":"Reset","afterHandling":true}]' | Out-Null
        New-SeedreamImage -Prompt 'lost answer' -ErrorAction SilentlyContinue -ErrorVariable first
        $first.Count | Should -Be 1
        New-SeedreamImage -Prompt 'lost answer' -Resume -ErrorAction SilentlyContinue -ErrorVariable held
        $held[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.OutcomeUnknown*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 1
        (New-SeedreamImage -Prompt 'lost answer' -Resume -RetryUnknown).Id | Should -Match '^task-unified-'
        Get-SimCounter $sim 'evolink.create' | Should -Be 2
    }

    It 'says an expired image expired' {
        Set-SimConfig $sim @{ latencyMs = 0; imageLifetimeSeconds = -5 }
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $task | Save-SeedreamImage -Path (New-TestFolder) -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].Exception.Message | Should -Match 'has expired'
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 0
        Set-SimConfig $sim @{ imageLifetimeSeconds = 86400 }
    }
}
