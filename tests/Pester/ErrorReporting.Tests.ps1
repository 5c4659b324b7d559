# Errors a person can act on (issue 20, points 1 and 3): every per-record error names its record, and a failed
# generation is one error, wherever it first surfaces.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0

    function Set-TaskFail([int] $Times = 1) {
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' `
            -Body ('[{"target":"evolink.create","kind":"TaskFail","errorCode":"content_policy_violation","times":' + $Times + '}]') | Out-Null
    }
}

AfterAll { Stop-TestSession $sim }

Describe 'A failed generation is an error wherever it first surfaces' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
    }

    It 'New-SeedreamImage -Wait writes a non-terminating error with the task as target' {
        Set-TaskFail
        $task = New-SeedreamImage -Prompt 'p' -Wait -ErrorAction SilentlyContinue -ErrorVariable failures -WarningVariable warnings
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.TaskFailed.content_policy_violation*'
        $failures[0].TargetObject | Should -BeOfType ([SeedreamPS.Core.Tasks.SeedreamTask])
        $failures[0].TargetObject.Id | Should -Be $task.Id
        $warnings.Count | Should -Be 0
        $task.Status | Should -Be 'Failed'
    }

    It 'New-SeedreamImage -Wait sets $? to false and reaches catch under -ErrorAction Stop' {
        Set-TaskFail
        New-SeedreamImage -Prompt 'p' -Wait -ErrorAction SilentlyContinue | Out-Null
        $? | Should -BeFalse
        Set-TaskFail
        $caught = $null
        try { New-SeedreamImage -Prompt 'p' -Wait -ErrorAction Stop | Out-Null }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.TaskFailed.*'
    }

    It 'Wait-SeedreamTask writes the failure as an error' {
        Set-TaskFail
        $task = New-SeedreamImage -Prompt 'p'
        $done = $task | Wait-SeedreamTask -ErrorAction SilentlyContinue -ErrorVariable failures -WarningVariable warnings
        $done.Status | Should -Be 'Failed'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.TaskFailed.content_policy_violation*'
        $warnings.Count | Should -Be 0
    }

    It 'reports each failure once down a pipeline' {
        Set-TaskFail
        $out = New-TestFolder
        $files = New-SeedreamImage -Prompt 'p' -Wait -ErrorVariable first -ErrorAction SilentlyContinue |
            Save-SeedreamImage -Path $out -ErrorVariable second -ErrorAction SilentlyContinue
        @($files).Count | Should -Be 0
        $first.Count | Should -Be 1
        $second.Count | Should -Be 0
        $all = @(@($first) + @($second))
        $all.Count | Should -Be 1
    }

    It 'reports each failure once through Wait-SeedreamTask and Save-SeedreamImage' {
        Set-TaskFail
        $out = New-TestFolder
        $null = New-SeedreamImage -Prompt 'p' | Wait-SeedreamTask -ErrorVariable +errs -ErrorAction SilentlyContinue |
            Save-SeedreamImage -Path $out -ErrorVariable +errs -ErrorAction SilentlyContinue
        @($errs | Where-Object { $_.FullyQualifiedErrorId -like 'SeedreamPS.TaskFailed.*' }).Count | Should -Be 1
    }
}

Describe 'Per-record errors name the record' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
    }

    It 'names a bad row by its position and Name in the message the console shows' {
        $rows = @(
            [pscustomobject]@{ Name = 'good'; Prompt = 'x' }
            [pscustomobject]@{ Name = 'spring-sale'; Prompt = 'x'; Size = '1:20' }
        )
        $null = $rows | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].ToString() | Should -BeLike "Record 2 (Name 'spring-sale'): *1:20*"
        ($failures[0] | Out-String) | Should -Match "Record 2 \(Name 'spring-sale'\)"
    }

    It 'names a record without a Name by its first column' {
        $rows = @([pscustomobject]@{ Title = 'banner-7'; Prompt = 'x'; Quality = '9K' })
        $null = $rows | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].ToString() | Should -BeLike "Record 1 (Title 'banner-7'): *"
    }

    It 'names a prompt string by its text' {
        $null = 'fine', '' | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].ToString() | Should -BeLike 'Record 2*'
    }

    It 'names the CSV row of a task that failed, in Save-SeedreamImage down the pipeline' {
        Set-TaskFail
        $rows = @([pscustomobject]@{ Name = 'hero'; Prompt = 'x' })
        $null = $rows | New-SeedreamImage | Save-SeedreamImage -Path (New-TestFolder) -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].ToString() | Should -BeLike "Record 1 (Name 'hero'): Task * failed*"
    }

    It 'names the row in a refused budget and a failed Wait-SeedreamTask' {
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ Name = "row$_"; Prompt = 'x' } }
        $null = $rows | New-SeedreamImage -MaxCostUsd 0.05 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].ToString() | Should -BeLike "Record 3 (Name 'row3'): *budget*"
        Set-TaskFail
        $null = [pscustomobject]@{ Name = 'w'; Prompt = 'x' } | New-SeedreamImage | Wait-SeedreamTask -ErrorVariable waited -ErrorAction SilentlyContinue
        $waited[0].ToString() | Should -BeLike "Record 1 (Name 'w'): *"
    }

    It 'names a bad input of Get-SeedreamTask and Get-SeedreamImageInfo' {
        $null = 'task-unified-1-missing' | Get-SeedreamTask -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].ToString() | Should -BeLike "Record 1 ('task-unified-1-missing'): *"
        $missing = Join-Path (New-TestFolder) 'none.png'
        Set-Content -LiteralPath $missing -Value 'x'
        $null = Get-Item -LiteralPath $missing | Get-SeedreamImageInfo -ErrorVariable info -ErrorAction SilentlyContinue
        $info[0].ToString() | Should -BeLike "Record 1 ('none.png'): *"
    }

    It 'names a bad input of ConvertFrom-SeedreamCallback and Export-SeedreamGallery' {
        $null = '{"hello":1}' | ConvertFrom-SeedreamCallback -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.InvalidCallbackBody*'
        $bad[0].ToString() | Should -BeLike "Record 1 ('{`"hello`":1}'): *"
        $page = Join-Path (New-TestFolder) 'index.html'
        $null = 42 | Export-SeedreamGallery -Path $page -ErrorVariable odd -ErrorAction SilentlyContinue
        $odd[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.UnsupportedInput*'
        $odd[0].ToString() | Should -BeLike 'Record 1*'
    }
}
