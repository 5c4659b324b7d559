# ConvertFrom-SeedreamCallback: the body a gateway posts becomes a task.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 200
}

AfterAll { Stop-TestSession $sim }

Describe 'ConvertFrom-SeedreamCallback' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 200 }
        $journal = Join-Path (New-TestFolder) 'journal.jsonl'
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $journal
    }

    It 'turns a callback body into a task whose images save' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $body = (Invoke-WebRequest -Uri "$($sim.EvoLinkUri)/v1/tasks/$($task.Id)" -Headers @{ Authorization = "Bearer $($sim.ApiKey)" }).Content
        $fromCallback = $body | ConvertFrom-SeedreamCallback
        $fromCallback.Id | Should -Be $task.Id
        $fromCallback.Status | Should -Be 'Succeeded'
        ($fromCallback | Save-SeedreamImage -Path (New-TestFolder)).Count | Should -Be 1
        '{"hello":1}' | ConvertFrom-SeedreamCallback -ErrorAction SilentlyContinue -ErrorVariable bad
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.InvalidCallbackBody*'
    }

    It 'reads a LinkModel task body, recognised by its shape' {
        Connect-TestGateway -Gateway LinkModel
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $body = (Invoke-WebRequest -Uri "$($sim.LinkModelUri)/query/image-generation?task_id=$($task.Id)" -Headers @{ Authorization = "Bearer $($sim.ApiKey)" }).Content
        $fromCallback = $body | ConvertFrom-SeedreamCallback
        $fromCallback.Gateway | Should -Be 'LinkModel'
        $fromCallback.Id | Should -Be $task.Id
        $fromCallback.Status | Should -Be 'Succeeded'
        ($fromCallback | Save-SeedreamImage -Path (New-TestFolder)).Count | Should -Be 1
    }

    It 'reads the body of a failed task with its error, and Save-SeedreamImage reports it and writes nothing' {
        $out = New-TestFolder
        $failed = Get-Content (Join-Path (Get-TestRepoRoot) 'examples/callback.json') -Raw | ConvertFrom-SeedreamCallback
        $failed.Gateway | Should -Be 'EvoLink'
        $failed.Status | Should -Be 'Failed'
        $failed.Error.Code | Should -Be 'content_policy_violation'
        $failed.Images.Count | Should -Be 0
        $failed | Save-SeedreamImage -Path $out -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.TaskFailed.content_policy_violation*'
        @(Get-ChildItem $out).Count | Should -Be 0
    }

    It 'takes the body as -Body, by its alias -Json and by position' {
        $text = Get-Content (Join-Path (Get-TestRepoRoot) 'examples/callback.json') -Raw
        (ConvertFrom-SeedreamCallback -Body $text).Id | Should -Be 'task-unified-1764460800-a1b2c3d4'
        (ConvertFrom-SeedreamCallback -Json $text).Id | Should -Be 'task-unified-1764460800-a1b2c3d4'
        (ConvertFrom-SeedreamCallback $text).Id | Should -Be 'task-unified-1764460800-a1b2c3d4'
    }
}
