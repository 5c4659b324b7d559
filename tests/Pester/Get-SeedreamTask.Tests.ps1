# Get-SeedreamTask against a simulator in its own process.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 300
}

AfterAll { Stop-TestSession $sim }

Describe 'Get-SeedreamTask' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 300 }
        Connect-TestGateway
    }

    It 'gets a task by id' {
        $task = New-SeedreamImage -Prompt 'p'
        (Get-SeedreamTask -Id $task.Id).Id | Should -Be $task.Id
    }

    It 'takes ids by property name' {
        $task = New-SeedreamImage -Prompt 'p'
        ([pscustomobject]@{ Id = $task.Id } | Get-SeedreamTask).Id | Should -Be $task.Id
        ([pscustomobject]@{ TaskId = $task.Id } | Get-SeedreamTask).Id | Should -Be $task.Id
    }

    It 'refreshes piped tasks in place, keeping what they carried' {
        $task = [pscustomobject]@{ Name = 'kept'; Prompt = 'p' } | New-SeedreamImage
        $fresh = $task | Get-SeedreamTask
        $fresh.Context['Name'] | Should -Be 'kept'
    }

    It 'refuses a malformed id without sending it' {
        Get-SeedreamTask -Id '../../etc' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.InvalidParameter.Id*'
        Get-SimCounter $sim 'evolink.query' | Should -Be 0
    }

    It 'reports a task the gateway does not know' {
        Get-SeedreamTask -Id 'task-unified-1-missing' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
