# Save-SeedreamImage against a simulator in its own process.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 300
}

AfterAll { Stop-TestSession $sim }

Describe 'Save-SeedreamImage' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 300 }
        Connect-TestGateway
        $out = New-TestFolder
    }

    It 'waits for unfinished tasks and saves every image' {
        $files = New-SeedreamImage -Prompt 'p' -Count 2 | Save-SeedreamImage -Path $out
        $files.Count | Should -Be 2
        $files | ForEach-Object { Test-IsPng $_.FullName | Should -BeTrue }
        $files[0].Name | Should -Match '^task-unified-.*-[01]\.png$'
    }

    It 'keeps an existing file unless -Force, and skips it with -NoClobber' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $task | Save-SeedreamImage -Path $out -FileName 'one.png' | Out-Null
        Set-Content -Path (Join-Path $out 'one.png') -Value 'mine'
        $task | Save-SeedreamImage -Path $out -FileName 'one.png' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        Get-Content (Join-Path $out 'one.png') | Should -Be 'mine'
        $task | Save-SeedreamImage -Path $out -FileName 'one.png' -NoClobber | Should -BeNullOrEmpty
        Get-Content (Join-Path $out 'one.png') | Should -Be 'mine'
        $task | Save-SeedreamImage -Path $out -FileName 'one.png' -Force | Out-Null
        Test-IsPng (Join-Path $out 'one.png') | Should -BeTrue
        # The two switches are in parameter sets of their own: refused while binding, before anything runs.
        { $task | Save-SeedreamImage -Path $out -Force -NoClobber } | Should -Throw -ErrorId 'AmbiguousParameterSet,SeedreamPS.Commands.SaveSeedreamImageCommand'
        { Save-SeedreamImage -Id 'task-unified-x' -Path $out -Force -NoClobber } | Should -Throw -ErrorId 'AmbiguousParameterSet,SeedreamPS.Commands.SaveSeedreamImageCommand'
    }

    It 'saves images by URL' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $file = $task.Images[0].Url.AbsoluteUri | Save-SeedreamImage -Path $out -FileName 'from-url.png'
        $file.Name | Should -Be 'from-url.png'
        Test-IsPng $file.FullName | Should -BeTrue
    }

    It 'saves by task id, given or piped' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        @(Save-SeedreamImage -Id $task.Id -Path $out -FileName 'by-id.png').Count | Should -Be 1
        @($task.Id | Save-SeedreamImage -Path $out -FileName 'piped-id.png').Count | Should -Be 1
    }

    It 'saves a batch that mixes both gateways' {
        Connect-TestGateway -Gateway LinkModel
        $link = New-SeedreamImage -Prompt 'p'
        Connect-TestGateway
        $evo = New-SeedreamImage -Prompt 'p'
        $files = @($link, $evo) | Save-SeedreamImage -Path $out -FileName '{Gateway}.png'
        ($files.Name | Sort-Object) | Should -Be @('EvoLink.png', 'LinkModel.png')
    }

    It 'reports a failed task as an error' {
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' `
            -Body '[{"target":"evolink.create","kind":"TaskFail","errorCode":"content_policy_violation"}]' | Out-Null
        New-SeedreamImage -Prompt 'p' | Save-SeedreamImage -Path $out -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.TaskFailed.content_policy_violation*'
        (Get-ChildItem $out).Count | Should -Be 0
    }

    It 'leaves no partial file when a download breaks off' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' `
            -Body '[{"target":"image","kind":"Truncate","times":0}]' | Out-Null
        $task | Save-SeedreamImage -Path $out -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        @(Get-ChildItem $out -Force).Count | Should -Be 0
    }
}
