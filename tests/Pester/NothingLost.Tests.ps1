# Nothing paid for is lost in the scripts people really write (issue 19): repeated names, a stop while creates are in
# flight, failures of the whole batch, an unwritable target, and one retry policy.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $sim = Start-SeedreamSimulator -LatencyMs 100
    $env:SEEDREAM_JOURNAL_PATH = Join-Path (New-TestFolder) 'journal.jsonl'
}

AfterAll {
    Disconnect-Seedream
    Stop-SeedreamSimulator $sim
    $env:SEEDREAM_JOURNAL_PATH = $null
}

Describe 'Two images, one file name' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 100 }
        Connect-Evo
        $env:SEEDREAM_JOURNAL_PATH = Join-Path (New-TestFolder) 'journal.jsonl'
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
